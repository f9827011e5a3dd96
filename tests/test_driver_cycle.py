"""The driver against real Terraform and the real null provider, offline, through the CLI."""

from __future__ import annotations

import io
import json
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_driver_helpers import REPO, Workspace, make_workspace

from typhoon_tf.driver import EXIT_REFUSED, Options, Refused, TerraformFailed, apply, plan

NULL = {"hashicorp/null": "~> 2.1"}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path, "null_cluster", NULL)


def _state(ws: Workspace) -> dict[str, Any]:
    """Terraform's state file: JSON whose shape depends on the resources in it."""
    state: dict[str, Any] = json.loads((ws.root / "terraform.tfstate").read_text())
    return state


def test_full_cycle_init_plan_apply_output_replan_destroy(ws: Workspace, tmp_path: Path) -> None:
    init = ws.cli("init", "-C", "null_cluster")
    assert init.returncode == 0, init.stderr
    assert "Installed hashicorp/null v2.1.2" in init.stdout

    planned = ws.cli("plan", "-C", "null_cluster")
    assert planned.returncode == 0, planned.stderr
    assert "Plan: 4 to add, 0 to change, 0 to destroy." in planned.stdout
    assert "  + null_resource.controllers[0]: create" in planned.stdout
    assert (ws.root / "typhoon-tf.tfplan").is_file()

    applied = ws.cli("apply", "-C", "null_cluster", "--plan", "typhoon-tf.tfplan")
    assert applied.returncode == 0, applied.stderr
    assert "Apply complete! Resources: 4 added, 0 changed, 0 destroyed." in applied.stdout
    assert "(4/4)" in applied.stdout  # progress counts finished resources against the plan
    assert "null_resource.bootstrap (local-exec): bootstrapped" in applied.stdout
    assert "outputs: controller_ids (sensitive: kubeconfig-admin)" in applied.stdout

    shown = ws.cli("output", "-C", "null_cluster")
    assert shown.returncode == 0, shown.stderr
    assert "kubeconfig-admin = <sensitive>" in shown.stdout
    ids = json.loads(ws.cli("output", "-C", "null_cluster", "controller_ids", "--json").stdout)
    assert len(ids) == 1 and ids[0].isdigit()

    kubeconfig = tmp_path / "out" / "admin.conf"
    written = ws.cli("kubeconfig", "-C", "null_cluster", "-o", str(kubeconfig))
    assert written.returncode == 0, written.stderr
    assert kubeconfig.read_text().startswith("apiVersion: v1\nkind: Config\n")
    assert stat.S_IMODE(kubeconfig.stat().st_mode) == 0o600

    replan = ws.cli("plan", "-C", "null_cluster")
    assert replan.returncode == 0, replan.stderr
    assert "no changes" in replan.stdout

    refused = ws.cli("destroy", "-C", "null_cluster")
    assert refused.returncode == EXIT_REFUSED
    assert "refusing to destroy 4 resource(s) without --yes" in refused.stderr
    assert "  - null_resource.controllers[0]" in refused.stderr
    assert len(_state(ws)["resources"]) == 3  # nothing destroyed

    destroyed = ws.cli("destroy", "-C", "null_cluster", "--yes")
    assert destroyed.returncode == 0, destroyed.stderr
    assert "destroyed 4 resource(s)" in destroyed.stdout
    assert _state(ws)["resources"] == []
    assert not list(ws.root.glob("*.tfplan"))  # spent plan files are removed


def test_raw_passes_terraform_output_through(ws: Workspace) -> None:
    result = ws.cli("apply", "-C", "null_cluster", "--raw")
    assert result.returncode == 0, result.stderr
    assert "Apply complete! Resources: 4 added" in result.stdout
    assert '{"@level"' not in result.stdout and "[ " not in result.stdout
    assert "null_resource.controllers[0]: Creation complete" in result.stdout


def test_guard_refuses_replacing_a_controller_type_given_by_the_caller(ws: Workspace) -> None:
    """`null_resource.controllers` is a controller when the injected type list says so."""
    out = io.StringIO()
    opts = Options(ws.root, env=ws.env, out=out, err=out, controller_types={"null_resource"})
    apply(opts)
    ws.set_vars(controller_type="m5.large")
    with pytest.raises(Refused) as refused:
        plan(opts)
    assert refused.value.items == ["null_resource.controllers[0] would be replaced"]
    assert "--allow-controller-replacement" in refused.value.report()
    assert not list(ws.root.glob("*.tfplan")), "a refused plan is not left to apply by hand"
    with pytest.raises(Refused):
        apply(opts)
    assert not list(ws.root.glob("*.tfplan"))
    # The default list does not contain null_resource: the same plan passes.
    plan(Options(ws.root, env=ws.env, out=out, err=out))
    allowed = Options(
        ws.root,
        env=ws.env,
        out=out,
        err=out,
        controller_types={"null_resource"},
        allow_controller_replacement=True,
    )
    apply(allowed)
    assert "warning: null_resource.controllers[0] would be replaced" in out.getvalue()


def test_guard_refuses_matchbox_controller_replacement_via_cli(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, "matchbox_cluster", {"poseidon/matchbox": "~> 0.5.0"})
    first = ws.cli("apply", "-C", "matchbox_cluster")
    assert first.returncode == 0, first.stderr
    ws.set_vars(controller_kernel="/assets/fedora-coreos/kernel-41")
    refused = ws.cli("apply", "-C", "matchbox_cluster")
    assert refused.returncode == EXIT_REFUSED, refused.stdout + refused.stderr
    assert "refusing to apply" in refused.stderr
    assert "  - matchbox_profile.controllers would be replaced" in refused.stderr
    assert "  - matchbox_group.controller would be replaced" in refused.stderr
    assert "matchbox_profile.workers" not in refused.stderr
    state = json.loads((ws.root / "terraform.tfstate").read_text())
    kernels = [
        r["instances"][0]["attributes"]["kernel"]
        for r in state["resources"]
        if r["name"] == "controllers"
    ]
    assert kernels == ["/assets/fedora-coreos/kernel-40"]  # nothing was applied

    allowed = ws.cli("apply", "-C", "matchbox_cluster", "--allow-controller-replacement")
    assert allowed.returncode == 0, allowed.stderr
    assert "Resources: 2 added, 0 changed, 2 destroyed" in allowed.stdout


def test_terraform_failing_mid_apply_exits_1_with_its_error(ws: Workspace) -> None:
    ws.set_vars(fail=True)
    result = ws.cli("apply", "-C", "null_cluster")
    assert result.returncode == 1
    assert "bootstrap: etcd did not come up" in result.stdout + result.stderr
    assert "typhoon-tf: error: terraform apply failed (exit 1)" in result.stderr
    assert "local-exec provisioner error" in result.stderr
    # Resources created before the failure are recorded; the state is intact.
    state = _state(ws)
    assert {r["name"] for r in state["resources"]} >= {"controllers", "workers"}


def test_terraform_failure_through_the_library_raises(ws: Workspace) -> None:
    ws.set_vars(fail=True)
    out = io.StringIO()
    with pytest.raises(TerraformFailed) as failed:
        apply(Options(ws.root, env=ws.env, out=out, err=out))
    assert failed.value.step == "apply"
    assert "local-exec provisioner error" in str(failed.value)


def test_sigint_during_apply_is_forwarded_once_and_state_survives(ws: Workspace) -> None:
    assert ws.cli("apply", "-C", "null_cluster").returncode == 0
    ws.set_vars(sleep_seconds=30)
    proc = subprocess.Popen(
        [sys.executable, "-m", "typhoon_tf", "apply", "-C", "null_cluster"],
        cwd=ws.root.parent,
        env=ws.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "(local-exec): bootstrapping" in line:
            break
    else:
        pytest.fail("apply never reached the slow provisioner:\n" + "".join(seen))
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    output = "".join(seen) + rest
    assert proc.returncode == 1, output + err
    # The provisioner prints "bootstrapped" only after its whole sleep (no clock involved).
    assert "(local-exec): bootstrapped" not in output, "the provisioner's sleep was not interrupted"
    assert "interrupt sent to terraform" in err
    assert "second interrupt" not in err and "Two interrupts" not in output + err
    assert "interrupted by the user" in err
    state = _state(ws)  # parses: Terraform wrote a complete state before exiting
    assert state["serial"]
    assert not (ws.root / ".terraform.tfstate.lock.info").exists()
    # And the next run works on that state.
    ws.set_vars(sleep_seconds=0)
    again = ws.cli("apply", "-C", "null_cluster")
    assert again.returncode == 0, again.stderr


def test_second_sigint_stops_terraform_hard(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, "slow_read", {"hashicorp/external": "~> 2.0"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "typhoon_tf", "plan", "-C", "slow_read"],
        cwd=ws.root.parent,
        env=ws.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    marker = ws.root / "read-started"
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    time.sleep(1.0)
    assert proc.poll() is None  # one interrupt: Terraform waits for the running read
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, out + err
    assert "interrupt sent to terraform; waiting for it to stop cleanly" in err
    assert "second interrupt sent; terraform exits now" in err
    # The read's program marks its end; it never got there (no clock involved).
    assert not (ws.root / "read-finished").exists()


def test_help_imports_no_driver_or_cloud_sdk() -> None:
    """What keeps `--help` fast; its speed itself is a figure (benchmarks/bench_cli.py)."""
    heavy = ("boto3", "botocore", "google", "hcl2", "typhoon_tf.driver", "typhoon_tf.cloud")
    code = (
        "import sys, contextlib, io\n"
        "from typhoon_tf.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main([])\n"
        f"print(sorted(m for m in sys.modules if m.startswith({heavy!r})))\n"
    )
    probe = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert probe.stdout.strip() == "[]"
