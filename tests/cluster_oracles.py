"""Shared oracles for the end-to-end tests of generated clusters (every platform):
Debian's ignition-validate, the real Ignition binary on a scratch root, and the PATH the
modules' external data source needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_nodes_helpers import IGNITION_BINARY, ignition_apply

# The Butane variant and version a snippet for each OS is written in.
BUTANE_OF = {"fedora-coreos": ("fcos", "1.4.0"), "flatcar-linux": ("flatcar", "1.0.0")}


def ignition_validate(config: str, tmp: Path) -> None:
    """Debian's ignition-validate accepts `config` (skips when it is not installed)."""
    if not Path("/usr/bin/ignition-validate").exists():
        pytest.skip("ignition-validate missing: apt-get install -y ignition")
    path = tmp / "node.ign"
    path.write_text(config)
    proc = subprocess.run(
        ["ignition-validate", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def apply_to_root(config_text: str, scratch: Path, name: str) -> Path:
    """Lay out `config_text` with the real Ignition binary under `scratch/name`."""
    if not IGNITION_BINARY.exists():
        pytest.skip("the Ignition binary is missing: apt-get install -y ignition")
    target = scratch / name
    target.mkdir()
    return ignition_apply(json.loads(config_text), target)


@pytest.fixture
def external_program_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # The modules' external data source runs `typhoon-tf` from PATH, as users' machines do.
    bindir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", bindir + os.pathsep + os.environ.get("PATH", ""))
