"""Every systemd unit and drop-in of every node passes `systemd-analyze verify`."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_nodes_helpers import config_of, node_id, node_matrix, verify_units

NODES = list(node_matrix())


def _units_of(platform: str, os_name: str, role: str, scratch: Path) -> dict[str, str]:
    units: dict[str, str] = {}
    for unit in config_of(platform, os_name, role)["systemd"]["units"]:
        if "contents" in unit:
            units[unit["name"]] = unit["contents"]
        for dropin in unit.get("dropins", []):
            # A drop-in is checked on top of a minimal base unit standing for the OS's own.
            units.setdefault(unit["name"], "[Service]\nExecStart=/usr/bin/true\n")
            dropin_dir = scratch / "stubroot/etc/systemd/system" / f"{unit['name']}.d"
            dropin_dir.mkdir(parents=True, exist_ok=True)
            (dropin_dir / dropin["name"]).write_text(dropin["contents"])
    return units


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_units_verify(platform: str, os_name: str, role: str, tmp_path: Path) -> None:
    units = _units_of(platform, os_name, role, tmp_path)
    assert "kubelet.service" in units
    proc = verify_units(units, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.strip() == "", proc.stderr


def test_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    """The harness can fail: a misspelled key in our kubelet unit is reported."""
    units = _units_of("aws", "fedora-coreos", "worker", tmp_path)
    units["kubelet.service"] = units["kubelet.service"].replace("Restart=always", "Restartt=always")
    proc = verify_units(units, tmp_path)
    assert "Unknown key" in proc.stderr + proc.stdout
