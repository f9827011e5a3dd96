"""The controller guard on synthetic plans (the e2e tests run it on generated modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.driver.errors import Refused
from typhoon_tf.driver.guard import check_controller_replacement, controller_changes


def change(type_name: str, name: str, actions: list[str], before: Any, after: Any) -> Any:
    return {
        "address": f"{type_name}.{name}[0]",
        "type": type_name,
        "name": name,
        "change": {"actions": actions, "before": before, "after": after},
    }


def resize(type_name: str, name: str, attribute: str) -> Any:
    return change(type_name, name, ["update"], {attribute: "small"}, {attribute: "large"})


PLAN = {
    "resource_changes": [
        resize("aws_instance", "controllers", "instance_type"),
        change("aws_instance", "controllers", ["update"], {"tags": {}}, {"tags": {"k": "v"}}),
        resize("aws_instance", "workers", "instance_type"),
        resize("google_compute_instance", "controllers", "machine_type"),
        change("digitalocean_droplet", "controllers", ["delete", "create"], {}, {}),
        change("matchbox_group", "controller", ["delete"], {}, None),
    ]
}


def test_resizes_replacements_and_deletions_of_controllers_are_found() -> None:
    found = {c.address: c.verb for c in controller_changes(PLAN)}
    assert found == {
        "aws_instance.controllers[0]": "restarted (resized in place)",
        "google_compute_instance.controllers[0]": "restarted (resized in place)",
        "digitalocean_droplet.controllers[0]": "replaced",
        "matchbox_group.controller[0]": "destroyed",
    }


def test_refused_without_the_flag_and_allowed_with_it() -> None:
    with pytest.raises(Refused):
        check_controller_replacement(PLAN, allow=False)
    assert len(check_controller_replacement(PLAN, allow=True)) == 4
    harmless = {"resource_changes": PLAN["resource_changes"][1:3]}
    assert check_controller_replacement(harmless, allow=False) == []


def test_md5_fingerprint_matches_ssh_keygen(tmp_path: Path) -> None:
    """DigitalOcean names keys by MD5 fingerprint; ours must equal OpenSSH's."""
    import shutil
    import subprocess

    from typhoon_tf.driver.sshagent import PublicKey

    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed")
    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    line = (tmp_path / "id.pub").read_text()
    shown = subprocess.run(
        ["ssh-keygen", "-l", "-E", "md5", "-f", str(key) + ".pub"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    parsed = PublicKey.parse(line)
    assert parsed is not None
    assert "MD5:" + parsed.md5_fingerprint() == shown
