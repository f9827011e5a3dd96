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


# -- the guard on real plans whose replacements come from force-new attributes ---------------

GUARD_SAMPLE = Path(__file__).parent / "data" / "tfsamples" / "guard_force_new"
APPLIED = {
    "controller_ami": "ami-0123456789abcdef0",
    "controller_zone": "eu-central-1a",
    "worker_ami": "ami-0123456789abcdef0",
}


@pytest.fixture(scope="module")
def applied_cluster(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The sample applied with fake providers; returns a planner for changed variables."""
    import json
    import shutil

    from typhoon_tf.testing.harness import _required_providers, _Runner, shared_terraform_home
    from typhoon_tf.testing.mirror import build_mirror
    from typhoon_tf.testing.terraform_bin import module_terraforms, terraform_env

    binaries = module_terraforms()
    if not binaries:
        pytest.fail("no Terraform that meets the modules' floor")
    workspace = tmp_path_factory.mktemp("guard")
    root = workspace / "root"
    shutil.copytree(GUARD_SAMPLE, root)
    cli_config = workspace / "terraformrc"
    cli_config.write_text("")
    env = terraform_env(cli_config, shared_terraform_home())
    runner = _Runner(binaries[0], root, env, {}, None, str)
    mirror = build_mirror(workspace / "mirror", _required_providers(runner))
    assert mirror.choice("aws").kind == "fake"
    cli_config.write_text(mirror.cli_config_text())
    runner.run("init", ["init", "-input=false", "-no-color"])

    def plan(variables: dict[str, str], name: str) -> dict[str, Any]:
        var_file = root / f"{name}.tfvars.json"
        var_file.write_text(json.dumps(variables))
        args = ["plan", "-input=false", "-no-color", f"-var-file={var_file.name}", f"-out={name}"]
        runner.run("plan", args)
        shown: dict[str, Any] = json.loads(runner.run("show", ["show", "-json", name]).stdout)
        return shown

    plan(APPLIED, "first.tfplan")
    runner.run("apply", ["apply", "-input=false", "-no-color", "first.tfplan"])
    return plan


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        ({"controller_ami": "ami-0fedcba9876543210"}, "ami"),
        ({"controller_zone": "eu-central-1b"}, "availability_zone"),
    ],
    ids=["ami", "zone"],
)
def test_guard_refuses_a_controller_replaced_by_a_force_new_change(
    applied_cluster: Any, change: dict[str, str], cause: str
) -> None:
    plan = applied_cluster({**APPLIED, **change}, "changed.tfplan")
    [controller] = [
        rc for rc in plan["resource_changes"] if rc["address"] == "aws_instance.controllers[0]"
    ]
    # The fake provider asked for the replacement, naming the attribute, as the real one does.
    assert controller["change"]["actions"] == ["delete", "create"]
    assert [cause] in controller["change"]["replace_paths"]
    with pytest.raises(Refused) as refused:
        check_controller_replacement(plan, allow=False)
    assert refused.value.items == ["aws_instance.controllers[0] would be replaced"]
    assert [str(c) for c in check_controller_replacement(plan, allow=True)] == [
        "aws_instance.controllers[0] would be replaced"
    ]


def test_guard_lets_a_worker_image_change_through(applied_cluster: Any) -> None:
    plan = applied_cluster({**APPLIED, "worker_ami": "ami-0fedcba9876543210"}, "workers.tfplan")
    actions = {rc["address"]: rc["change"]["actions"] for rc in plan["resource_changes"]}
    assert actions["aws_instance.workers[0]"] == ["delete", "create"]
    assert actions["aws_instance.controllers[0]"] == ["no-op"]
    assert check_controller_replacement(plan, allow=False) == []
