"""Shared helpers for the node tests: the matrix, the real-tool oracles, normalisation.

No tests live here; the other test_nodes_* modules import it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.ignition.dataurl import decode_data_url
from typhoon_tf.nodes import OS_PROFILES, PLATFORM_DELTAS, ROLES, NodeOptions, render
from typhoon_tf.testing.terraform_bin import TerraformNotFound, find_terraform

PLATFORMS = tuple(PLATFORM_DELTAS)
OSES = tuple(OS_PROFILES)
IGNITION_BINARY = Path("/usr/lib/dracut/modules.d/30ignition/ignition")
DEBIAN_VALIDATOR_VERSIONS = ("3.0.0", "3.1.0", "3.2.0", "3.3.0")


def node_matrix() -> Iterator[tuple[str, str, str]]:
    for platform in PLATFORMS:
        for os_name in OSES:
            for role in ROLES:
                yield platform, os_name, role


def version_matrix() -> Iterator[tuple[str, str, str, str]]:
    for platform, os_name, role in node_matrix():
        for version in sorted(OS_PROFILES[os_name].butane_versions):
            yield platform, os_name, role, version


def node_id(*parts: str) -> str:
    return "-".join(parts)


@cache
def rendered(platform: str, os_name: str, role: str, version: str | None = None) -> str:
    """Compact JSON of a node with example values (cached: the matrix reuses it)."""
    config = render(platform, os_name, role, options=NodeOptions(ignition_version=version))
    return json.dumps(config, separators=(",", ":"), ensure_ascii=False)


def config_of(platform: str, os_name: str, role: str, version: str | None = None) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(rendered(platform, os_name, role, version))
    return loaded


def require_tool(path: str | Path) -> str:
    found = shutil.which(str(path)) if not Path(path).is_absolute() else str(path)
    if not found or not Path(found).exists():
        pytest.skip(f"{path} not installed (Debian: apt-get install -y ignition systemd)")
    return found


def file_text(config: dict[str, Any], path: str) -> str:
    """Decoded contents of the file at `path` in a spec-3 or spec-2 config."""
    for node in config.get("storage", {}).get("files", []):
        if node["path"] == path and not node.get("append"):
            contents = node.get("contents") or {}
            data = decode_data_url(contents["source"], contents.get("compression") or None)
            return data.decode()
    raise KeyError(path)


def unit(config: dict[str, Any], name: str) -> dict[str, Any]:
    for entry in config.get("systemd", {}).get("units", []):
        if entry["name"] == name:
            found: dict[str, Any] = entry
            return found
    raise KeyError(name)


def normalize(config: Any) -> Any:
    """Semantic form: data URLs decoded, empty values and `compression` dropped."""
    if isinstance(config, dict):
        out: dict[str, Any] = {}
        source = config.get("source")
        if isinstance(source, str) and source.startswith("data:"):
            data = decode_data_url(source, config.get("compression") or None)
            out["data"] = data.decode("utf-8", "replace")
        for key, value in config.items():
            if key in ("source", "compression") and "data" in out:
                continue
            norm = normalize(value)
            if norm in ({}, [], None):
                continue
            out[key] = norm
        return out
    if isinstance(config, list):
        return [normalize(v) for v in config]
    return config


# --- the real Ignition binary ---------------------------------------------------------

_PASSWD_SEED = {
    "passwd": "root:x:0:0:root:/root:/bin/bash\n",
    "group": "root:x:0:\n",
    "shadow": "root:*:19000:0:99999:7:::\n",
    "gshadow": "root:*::\n",
    "login.defs": "",
}


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A world-traversable directory under /tmp (pytest's tmp_path is 0700).

    Ignition writes SSH keys with the new user's uid, which must be able to reach them.
    """
    path = Path(tempfile.mkdtemp(prefix="typhoon-tf-ign-", dir="/tmp"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def ignition_apply(config: dict[str, Any], scratch: Path) -> Path:
    """Apply `config` (spec ≤ 3.3.0) to a fresh root under `scratch` with the real binary.

    Runs only the harmless stages (`fetch-offline`, `files`) with every state path under
    `scratch` (research/ignition.md §5(b)); returns the root. `scratch` must come from
    `scratch_dir()`.
    """
    binary = require_tool(IGNITION_BINARY)
    root, work, fakebin = scratch / "root", scratch / "work", scratch / "fakebin"
    (root / "etc" / "selinux").mkdir(parents=True)
    work.mkdir()
    fakebin.mkdir()
    for name, text in _PASSWD_SEED.items():
        (root / "etc" / name).write_text(text)
    (root / "etc" / "selinux" / "config").write_text("SELINUXTYPE=targeted\n")
    # The files stage relabels with setfiles; there is no SELinux policy in a scratch root.
    setfiles = fakebin / "setfiles"
    setfiles.write_text("#!/bin/sh\ncat > /dev/null\nexit 0\n")
    setfiles.chmod(0o755)
    cfg = scratch / "config.ign"
    cfg.write_text(json.dumps(config))
    env = {
        **os.environ,
        "PATH": f"{fakebin}:{os.environ.get('PATH', '/usr/bin:/bin')}:/usr/sbin:/sbin",
        "IGNITION_CONFIG_FILE": str(cfg),
    }
    common = [
        binary,
        "-platform",
        "file",
        "-root",
        str(root),
        "-config-cache",
        str(work / "ignition.json"),
        "-state-file",
        str(work / "state"),
        "-neednet",
        str(work / "neednet"),
        "-log-to-stdout",
    ]
    for stage in ("fetch-offline", "files"):
        proc = subprocess.run(
            [*common, "-stage", stage], env=env, capture_output=True, text=True, timeout=120
        )
        if proc.returncode != 0:
            lines = (proc.stdout + proc.stderr).splitlines()
            tail = "\n".join([ln for ln in lines if "CRITICAL" in ln or "ERROR" in ln][-10:])
            raise AssertionError(f"ignition stage {stage} failed:\n{tail}")
    return root


def mode_of(path: Path) -> int:
    return path.lstat().st_mode & 0o7777


# --- systemd-analyze verify -------------------------------------------------------------

_EXEC = re.compile(r"^Exec\w+=[-@:+!]*(\S+)", re.MULTILINE)


def verify_units(units: dict[str, str], scratch: Path) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify` the units in a stub root holding their executables."""
    tool = require_tool("systemd-analyze")
    root = scratch / "stubroot"
    unit_dir = root / "etc" / "systemd" / "system"
    unit_dir.mkdir(parents=True, exist_ok=True)
    for name, text in units.items():
        (unit_dir / name).write_text(text)
        for match in _EXEC.finditer(text):
            stub = root / match.group(1).lstrip("/")
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text("#!/bin/sh\n")
            stub.chmod(0o755)
    return subprocess.run(
        [
            tool,
            "verify",
            "--recursive-errors=no",
            "--man=no",
            f"--root={root}",
            *(str(unit_dir / n) for n in units),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- Terraform templatefile() -------------------------------------------------------------


def terraform_binary() -> str:
    try:
        return str(find_terraform().path)
    except TerraformNotFound as err:  # pip's 1.0.3 is a test extra: a failure under CI
        pytest.skip(str(err))


def _hcl_value(value: object) -> str:
    """An HCL literal: JSON's escapes are HCL's, plus template sequences escaped."""
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


def terraform_render(
    templates: dict[str, tuple[str, dict[str, object]]], scratch: Path
) -> dict[str, str]:
    """Evaluate each template with `templatefile()` in one `terraform apply` of outputs.

    `templates` maps an output name to (template text, variables); returns output -> text.
    """
    binary = terraform_binary()
    scratch.mkdir(parents=True, exist_ok=True)
    blocks = []
    for name, (text, variables) in templates.items():
        (scratch / f"{name}.tftpl").write_text(text)
        args = ", ".join(f"{k} = {_hcl_value(v)}" for k, v in variables.items())
        expr = (
            f'jsonencode(jsondecode(templatefile("${{path.module}}/{name}.tftpl", {{ {args} }})))'
        )
        blocks.append(f'output "{name}" {{\n  value = {expr}\n}}\n')
    (scratch / "main.tf").write_text("\n".join(blocks))
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    for cmd in (["apply", "-auto-approve", "-input=false", "-no-color"], ["output", "-json"]):
        proc = subprocess.run(
            [binary, f"-chdir={scratch}", *cmd],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if proc.returncode != 0:
            raise AssertionError(f"terraform {cmd[0]} failed:\n{proc.stderr}{proc.stdout}")
    outputs = json.loads(proc.stdout)
    return {name: outputs[name]["value"] for name in templates}
