"""A Typhoon user switches `source` to our modules: the plan destroys nothing that matters.

For each platform × OS, `tests/data/typhoon-migration/<pair>` holds a Typhoon user's root
module and the state Typhoon v1.36.1 left after apply (see its README). We plan that state
over our committed `modules/` tree with `-refresh=false` and require no delete or replace of
any controller, worker pool, network, firewall rule, load balancer part, DNS record, TLS key
or certificate, or random value (replacements that only roll workers are allowed, as a
Typhoon upgrade does). The counts per pair are printed at the end of the run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from uninstallable import NO_MODERN_TERRAFORM

from typhoon_tf.testing.migration import Change, destructive_changes, plan_migration
from typhoon_tf.testing.terraform_bin import TerraformBinary, module_terraforms

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "typhoon-migration"
PAIRS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
PLATFORMS = ("aws", "google-cloud", "azure", "digital-ocean", "bare-metal")
OSES = ("fedora-coreos", "flatcar-linux")


def _terraform() -> TerraformBinary:
    binaries = module_terraforms()
    if not binaries:
        pytest.skip(NO_MODERN_TERRAFORM)
    return binaries[0]


def test_every_platform_and_os_has_a_fixture() -> None:
    assert sorted(f"{p}-{o}" for p in PLATFORMS for o in OSES) == PAIRS


@pytest.mark.slow
@pytest.mark.parametrize("pair", PAIRS)
def test_switching_source_destroys_nothing(
    pair: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    plan = plan_migration(FIXTURES / pair, REPO / "modules", tmp_path, terraform=_terraform())
    counts = plan.counts()
    cache = getattr(request.config, "cache", None)
    report_dir = cache.mkdir("migration-plans") if cache is not None else None
    if report_dir is not None:
        (report_dir / f"{pair}.json").write_text(json.dumps(counts, sort_keys=True))
    bad = plan.destructive()
    assert not bad, f"{pair}: the switch would destroy:\n" + "\n".join(c.describe() for c in bad)
    # The controllers' SSH copies and the bootstrap do not run again against live controllers
    # just because of the switch (ours re-run for a replaced controller through
    # replace_triggered_by, not triggers; a replaced worker droplet gets its copy again).
    reruns = [
        c.describe()
        for c in plan.changes()
        if c.type == "null_resource"
        and c.actions != ("no-op",)
        and ("controller" in c.address or c.address.endswith("null_resource.bootstrap"))
    ]
    assert not reruns, f"{pair}: the switch would re-run provisioners on controllers: {reruns}"
    # Every Typhoon address is still managed: at its old address or through a moved block.
    state = json.loads((FIXTURES / pair / "terraform.tfstate").read_text())
    managed = {c.previous_address or c.address for c in plan.changes()}
    for resource in state["resources"]:
        if resource["mode"] != "managed" or resource["type"] in ("null_resource",):
            continue
        for instance in resource["instances"]:
            address = _address(resource, instance.get("index_key"))
            assert address in managed, f"{pair}: {address} is not in the plan"


def _address(resource: dict[str, object], key: object) -> str:
    module = f"{resource['module']}." if resource.get("module") else ""
    index = "" if key is None else f"[{json.dumps(key)}]"
    return f"{module}{resource['type']}.{resource['name']}{index}"


# -- the rules the check applies (unit level, no Terraform) -------------------------------


def _change(address: str, actions: tuple[str, ...]) -> Change:
    type_name = address.rsplit(".", 1)[0].rsplit(".", 1)[-1]
    return Change(address, type_name, actions)


@pytest.mark.parametrize(
    ("address", "actions", "allowed"),
    [
        ("module.c.aws_launch_template.worker", ("delete", "create"), True),
        ("module.c.aws_launch_template.worker", ("delete",), False),
        ("module.c.digitalocean_droplet.workers[0]", ("create", "delete"), True),
        ("module.c.digitalocean_droplet.controllers[0]", ("delete", "create"), False),
        ("module.c.null_resource.bootstrap", ("delete", "create"), True),
        ("module.c.aws_security_group_rule.worker-ssh", ("delete",), False),
        ("module.c.module.bootstrap.tls_private_key.kube-ca", ("delete", "create"), False),
        ("module.c.matchbox_group.install[0]", ("delete", "create"), True),
        ("module.c.aws_instance.controllers[0]", ("update",), True),
    ],
)
def test_destructive_rules(address: str, actions: tuple[str, ...], allowed: bool) -> None:
    assert (destructive_changes([_change(address, actions)]) == []) is allowed


def test_the_cli_plans_in_a_private_new_directory_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Never a fixed name in /tmp (another user could have made it): the workspace holds
    the provider launchers Terraform runs."""
    from types import SimpleNamespace

    from typhoon_tf.testing import migration

    seen: list[Path] = []

    def fake_plan(fixture: Path, modules: str, workspace: Path) -> SimpleNamespace:
        seen.append(workspace)
        return SimpleNamespace(
            destructive=list, counts=dict, updates=list, terraform=SimpleNamespace(version="x")
        )

    monkeypatch.setattr(migration, "plan_migration", fake_plan)
    fixtures = str(Path(__file__).parent / "data" / "typhoon-migration")
    assert migration.main(["-f", fixtures, "aws-fedora-coreos"]) == 0
    (workspace,) = seen
    assert workspace.parent.name.startswith("typhoon-migration-")
    assert workspace.parent.stat().st_mode & 0o077 == 0
    assert f"workspaces in {workspace.parent}" in capsys.readouterr().out
    workspace.parent.rmdir()
