"""Which Terraform-compatible binary the driver runs, and its version.

Order: `--binary` (a name on PATH or a path), `$TYPHOON_TF_TERRAFORM`, `terraform` on PATH,
then `tofu` on PATH. OpenTofu answers `version -json` with the same `terraform_version` key.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from typhoon_tf.errors import UserError
from typhoon_tf.versions import TERRAFORM_FLOOR

ENV_BINARY = "TYPHOON_TF_TERRAFORM"
DEFAULT_NAMES = ("terraform", "tofu")
MINIMUM_VERSION = TERRAFORM_FLOOR


@dataclass(frozen=True)
class Binary:
    path: Path
    version: str

    @property
    def version_tuple(self) -> tuple[int, ...]:
        core = self.version.lstrip("v").split("-")[0]
        return tuple(int(p) for p in core.split(".") if p.isdigit())

    @property
    def name(self) -> str:
        return self.path.name


def _locate(name_or_path: str) -> Path | None:
    if os.sep in name_or_path:
        path = Path(name_or_path)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(name_or_path)
    return Path(found) if found else None


def locate_binary(requested: str | None = None) -> Path:
    """The binary to run; `UserError` when none is usable."""
    wanted = requested or os.environ.get(ENV_BINARY)
    if wanted:
        path = _locate(wanted)
        if path is None:
            source = "--binary" if requested else f"${ENV_BINARY}"
            raise UserError(f"{source}={wanted}: no such executable")
        return path
    for name in DEFAULT_NAMES:
        path = _locate(name)
        if path is not None:
            return path
    floor = ".".join(map(str, TERRAFORM_FLOOR))
    raise UserError(
        f"no terraform binary: install Terraform >= {floor} (or OpenTofu) and put it on PATH, "
        f"or name it with --binary / ${ENV_BINARY}"
    )


def binary_version(path: Path) -> str:
    """`terraform version -json` → "1.0.3"; `UserError` when the binary does not answer."""
    try:
        proc = subprocess.run(
            [str(path), "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CHECKPOINT_DISABLE": "1"},
            check=False,
        )
        version: str = json.loads(proc.stdout)["terraform_version"]
    except (OSError, subprocess.TimeoutExpired, ValueError, KeyError, TypeError) as err:
        raise UserError(f"{path} does not behave like terraform (version -json): {err}") from None
    return version


def resolve_binary(requested: str | None = None) -> Binary:
    path = locate_binary(requested)
    return Binary(path, binary_version(path))
