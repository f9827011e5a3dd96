"""End to end on the embedded AWS example: generate → apply → output/kubeconfig → re-plan →
destroy, offline, with the verification harness's providers (fake aws, real null, tls and
random as the mirror provides them).

SSH provisioners cannot reach fake instances, so they are stripped from the generated copy
with the harness's `strip_remote_provisioners` (what `verify_module` does too). The fake
aws provider does not model ForceNew, so controller *replacement* is exercised by the
matchbox sample in test_driver_cycle.py instead.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from test_driver_helpers import REPO, Workspace, serve_offline, terraform_or_skip

from typhoon_tf.config import example_config
from typhoon_tf.generate import generate
from typhoon_tf.testing.fork_server import fork_server
from typhoon_tf.testing.mirror import Mirror
from typhoon_tf.testing.provisioners import strip_remote_provisioners
from typhoon_tf.testing.terraform_bin import TerraformBinary, terraform_env

pytestmark = pytest.mark.slow


def _generate(out: Path, os_name: str, controllers: int) -> None:
    # Any generator error fails the test: this is the one full generate → destroy cycle.
    config = example_config("aws", os_name)
    variables = {**config.variables, "controller_count": controllers}
    generate(replace(config, variables=variables), out)


def _required_providers(
    terraform: TerraformBinary, root: Path, env: dict[str, str]
) -> dict[str, str]:
    def run(*args: str) -> str:
        return subprocess.run(
            [str(terraform.path), *args, "-no-color"], cwd=root, env=env, capture_output=True,
            text=True, check=True,
        ).stdout  # fmt: skip

    run("get")
    found: dict[str, set[str]] = {}
    for address, constraint in re.findall(r"provider\[([^\]]+)\]([^\n]*)", run("providers")):
        found.setdefault(address, set()).update({constraint.strip()} - {""})
    return {address: ", ".join(sorted(c)) for address, c in found.items()}


def _workspace(tmp_path: Path, os_name: str, controllers: int) -> tuple[Workspace, Mirror]:
    terraform = terraform_or_skip()
    root = tmp_path / "tempest"
    _generate(root, os_name, controllers)
    strip_remote_provisioners(root, root)
    home = tmp_path / "home"
    home.mkdir()
    cli_config = tmp_path / "terraformrc"
    cli_config.write_text("")
    env = terraform_env(cli_config, home)
    mirror = serve_offline(tmp_path / "mirror", _required_providers(terraform, root, env))
    cli_config.write_text(mirror.cli_config_text())
    shutil.rmtree(root / ".terraform")  # from `terraform get`; the driver runs init itself
    env["TYPHOON_TF_TERRAFORM"] = str(terraform.path)
    env["PYTHONPATH"] = str(REPO)
    env.pop("SSH_AUTH_SOCK", None)
    return Workspace(root, terraform, env), mirror


def _resizing_the_controller_is_refused(ws: Workspace, skip: list[str]) -> None:
    """A new controller_type stops and starts the etcd member: refused like a replacement."""
    main_tf = ws.root / "main.tf"
    text = main_tf.read_text()
    assert "controller_type" not in text
    main_tf.write_text(
        text.replace("  controller_count", '  controller_type  = "t3.large"\n  controller_count', 1)
    )
    refused = ws.cli("plan", "-C", "tempest", *skip, timeout=600)
    assert refused.returncode == 3, refused.stdout[-2000:] + refused.stderr[-2000:]
    assert "controllers[0] would be restarted" in refused.stderr
    allowed = ws.cli("plan", "-C", "tempest", "--allow-controller-replacement", *skip, timeout=600)
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    main_tf.write_text(text)


def _shrink_to_one_controller_is_refused(ws: Workspace, skip: list[str]) -> None:
    """Dropping controller_count destroys etcd members: refused, then allowed with the flag.

    (Snippet changes do not touch controllers in the generated module: ami/user_data are in
    ignore_changes, as in Typhoon.)
    """
    main_tf = ws.root / "main.tf"
    text, count = re.subn(r"(?m)^(\s*controller_count\s*=\s*)\d+$", r"\g<1>1", main_tf.read_text())
    assert count == 1
    main_tf.write_text(text)
    refused = ws.cli("plan", "-C", "tempest", *skip, timeout=600)
    assert refused.returncode == 3, refused.stdout[-2000:] + refused.stderr[-2000:]
    for index in (1, 2):
        address = f"module.tempest.aws_instance.controllers[{index}]"
        assert f"  - {address} would be destroyed" in refused.stderr
    assert "controllers[0]" not in refused.stderr
    allowed = ws.cli("plan", "-C", "tempest", "--allow-controller-replacement", *skip, timeout=600)
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    assert (
        "warning: module.tempest.aws_instance.controllers[2] would be destroyed" in allowed.stderr
    )


@pytest.mark.parametrize(
    ("os_name", "controllers"),
    [("fedora-coreos", 1), ("flatcar-linux", 3)],
    ids=["fcos-1ctl", "flatcar-3ctl"],
)
def test_generated_aws_cluster_full_cycle(tmp_path: Path, os_name: str, controllers: int) -> None:
    ws, mirror = _workspace(tmp_path, os_name, controllers)
    with fork_server(mirror):  # the fakes' imports once, not at every provider start
        _full_cycle(ws, tmp_path, controllers)


def _full_cycle(ws: Workspace, tmp_path: Path, controllers: int) -> None:
    skip = ["--skip-preflight", "ssh-agent,aws"]  # no agent or AWS account here

    applied = ws.cli("apply", "-C", "tempest", *skip, timeout=600)
    assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
    assert "Apply complete!" in applied.stdout

    outputs = json.loads(ws.cli("output", "-C", "tempest", "--json").stdout)
    assert outputs["kubeconfig-admin"]["sensitive"] is True

    kubeconfig = tmp_path / "admin.conf"
    written = ws.cli("kubeconfig", "-C", "tempest", "-o", str(kubeconfig))
    assert written.returncode == 0, written.stderr
    assert "kind: Config" in kubeconfig.read_text()
    assert stat.S_IMODE(kubeconfig.stat().st_mode) == 0o600

    replan = ws.cli("plan", "-C", "tempest", *skip, timeout=600)
    assert replan.returncode == 0, replan.stderr[-3000:]
    assert "no changes" in replan.stdout

    if controllers > 1:
        _shrink_to_one_controller_is_refused(ws, skip)
    else:
        _resizing_the_controller_is_refused(ws, skip)

    destroyed = ws.cli("destroy", "-C", "tempest", "--yes", *skip, timeout=600)
    assert destroyed.returncode == 0, destroyed.stderr[-3000:]
    state = json.loads((ws.root / "terraform.tfstate").read_text())
    assert state["resources"] == []


def test_up_generates_then_stops_at_preflight_without_an_agent(tmp_path: Path) -> None:
    terraform = terraform_or_skip()
    env = terraform_env(tmp_path / "terraformrc", tmp_path)
    env.update({"TYPHOON_TF_TERRAFORM": str(terraform.path), "PYTHONPATH": str(REPO)})
    env.pop("SSH_AUTH_SOCK", None)
    argv = ["up", "aws", "-o", "tempest", "--skip-preflight", "aws"]
    result = subprocess.run(
        [sys.executable, "-m", "typhoon_tf", *argv],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "wrote tempest/ (aws, fedora-coreos)" in result.stdout
    assert "preflight ssh-agent: no ssh-agent" in result.stderr
    assert (tmp_path / "tempest" / "main.tf").is_file()
    assert not (tmp_path / "tempest" / ".terraform").exists()
