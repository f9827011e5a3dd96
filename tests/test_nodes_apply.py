"""The real Ignition binary applies every node config to a scratch root.

Debian's Ignition (2.14) reads spec <= 3.3.0, so it applies each node at 3.3.0; the other
versions are checked to carry exactly the same content (3.4.0/3.5.0: only the version
differs; 2.3.0: the same files, modes, units and user, as the down-converter promises).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_nodes_helpers import (
    config_of,
    file_text,
    ignition_apply,
    mode_of,
    node_id,
    node_matrix,
    normalize,
    scratch_dir,
)

from typhoon_tf.nodes import OS_PROFILES, render

NODES = list(node_matrix())


def _expect_tree(config: dict[str, Any], root: Path) -> None:
    storage = config.get("storage", {})
    for directory in storage.get("directories", []):
        path = root / directory["path"].lstrip("/")
        assert path.is_dir(), directory["path"]
        assert mode_of(path) == directory["mode"], directory["path"]
        if "user" in directory:
            assert path.stat().st_uid == directory["user"]["id"]
    for node in storage.get("files", []):
        path = root / node["path"].lstrip("/")
        assert path.is_file(), node["path"]
        assert mode_of(path) == node["mode"], f"{node['path']}: {oct(mode_of(path))}"
        assert path.read_text() == file_text(config, node["path"])
    for link in storage.get("links", []):
        path = root / link["path"].lstrip("/")
        assert path.is_symlink(), link["path"]
        assert os.readlink(path) == link["target"], link["path"]

    system = root / "etc/systemd/system"
    preset_file = root / "etc/systemd/system-preset/20-ignition.preset"
    presets = preset_file.read_text().splitlines() if preset_file.exists() else []
    for unit in config["systemd"]["units"]:
        name = unit["name"]
        if "contents" in unit:
            assert (system / name).read_text() == unit["contents"]
        for dropin in unit.get("dropins", []):
            assert (system / f"{name}.d" / dropin["name"]).read_text() == dropin["contents"]
        if unit.get("mask"):
            assert os.readlink(system / name) == "/dev/null"
        if unit.get("enabled") is True:
            assert f"enable {name}" in presets
    enabled = {u["name"] for u in config["systemd"]["units"] if u.get("enabled")}
    assert {line.split()[1] for line in presets if line.startswith("enable ")} == enabled


def _expect_user(config: dict[str, Any], root: Path) -> None:
    passwd = (root / "etc/passwd").read_text()
    users = config.get("passwd", {}).get("users", [])
    if not users:
        assert "\ncore:" not in passwd  # DigitalOcean: droplet keys, no Ignition user
        return
    assert any(line.startswith("core:") for line in passwd.splitlines())
    keys = root / "home/core/.ssh/authorized_keys.d/ignition"
    assert mode_of(keys) == 0o600
    assert keys.read_text().strip() == users[0]["sshAuthorizedKeys"][0]


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_ignition_writes_the_node(platform: str, os_name: str, role: str) -> None:
    config = config_of(platform, os_name, role, "3.3.0")
    with scratch_dir() as scratch:
        root = ignition_apply(config, scratch)
        _expect_tree(config, root)
        _expect_user(config, root)


def test_snippet_data_urls_are_merged_by_ignition() -> None:
    """A snippet passed as a data URL (the Terraform-variable path) lands on disk."""
    snippet = {
        "ignition": {"version": "3.3.0"},
        "storage": {
            "files": [
                {"path": "/etc/snippet.conf", "mode": 416, "contents": {"source": "data:,hello%0A"}}
            ]
        },
        "systemd": {
            "units": [
                {
                    "name": "kubelet.service",
                    "dropins": [
                        {"name": "10-extra.conf", "contents": "[Service]\nEnvironment=EXTRA=1\n"}
                    ],
                }
            ]
        },
    }
    url = "data:;base64," + base64.b64encode(json.dumps(snippet).encode()).decode()
    config = render("aws", "fedora-coreos", "worker", {"snippets": [url]})
    with scratch_dir() as scratch:
        root = ignition_apply(config, scratch)
        assert (root / "etc/snippet.conf").read_text() == "hello\n"
        assert mode_of(root / "etc/snippet.conf") == 0o640
        dropin = root / "etc/systemd/system/kubelet.service.d/10-extra.conf"
        assert dropin.read_text() == "[Service]\nEnvironment=EXTRA=1\n"
        assert (root / "etc/systemd/system/kubelet.service").exists()


def _without_version(config: dict[str, Any]) -> Any:
    copy = json.loads(json.dumps(config))
    copy["ignition"].pop("version")
    return normalize(copy)


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_other_versions_carry_the_same_content(platform: str, os_name: str, role: str) -> None:
    base = config_of(platform, os_name, role, "3.3.0")
    for version in OS_PROFILES[os_name].butane_versions:
        if version.startswith("3."):
            assert _without_version(
                config_of(platform, os_name, role, version)
            ) == _without_version(base)
        else:
            _same_as_spec2(base, config_of(platform, os_name, role, version))


def _same_as_spec2(spec3: dict[str, Any], spec2: dict[str, Any]) -> None:
    files3 = {
        f["path"]: (f["mode"], file_text(spec3, f["path"])) for f in spec3["storage"]["files"]
    }
    files2 = {
        f["path"]: (f["mode"], file_text(spec2, f["path"])) for f in spec2["storage"]["files"]
    }
    assert files2 == files3
    assert all(f["filesystem"] == "root" for f in spec2["storage"]["files"])
    dirs3 = {d["path"]: d["mode"] for d in spec3["storage"]["directories"]}
    assert {d["path"]: d["mode"] for d in spec2["storage"]["directories"]} == dirs3
    links3 = {ln["path"]: (ln["target"], ln.get("overwrite")) for ln in spec3["storage"]["links"]}
    assert {
        ln["path"]: (ln["target"], ln.get("overwrite")) for ln in spec2["storage"]["links"]
    } == links3
    assert normalize(spec2["systemd"]) == normalize(spec3["systemd"])
    assert normalize(spec2.get("passwd")) == normalize(spec3.get("passwd"))
