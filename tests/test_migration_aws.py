"""AWS: a Typhoon user switches `source` to our modules and the plan destroys nothing.

The fixtures (tests/data/typhoon-migration/aws-*) hold a Typhoon user's root module and the
state Typhoon left (networking = "cilium"). A second case derives what a `flannel` Typhoon
cluster's state holds (no count-conditional Cilium rules) to test the moved blocks for the
interface rather than for one fixture. With fake providers every changed attribute shows as
an in-place update, so the updates are pinned to the ones the module README documents.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from typhoon_tf.fsutil import write_tree_atomic
from typhoon_tf.generate.modules_tree import modules_for
from typhoon_tf.generate.platform_module import ModuleRequest
from typhoon_tf.platforms import load_platform
from typhoon_tf.testing.migration import MigrationPlan, plan_migration

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "data" / "typhoon-migration"

# Typhoon creates these rules (`[0]`) only for networking = "cilium".
CILIUM_ONLY_RULES = frozenset(
    f"{role}-{name}"
    for role in ("controller", "worker")
    for name in (
        "icmp",
        "icmp-self",
        "cilium-health",
        "cilium-health-self",
        "cilium-metrics",
        "cilium-metrics-self",
    )
)

# The in-place updates a switch causes (documented in platform.yaml's deviations).
EXPECTED_UPDATES = {
    "aws_instance": {"metadata_options"},  # IMDSv2 required
    "aws_launch_template": {"metadata_options", "user_data"},  # IMDSv2; our node config
}


def our_modules(tmp_path: Path, os_name: str) -> Path:
    tree = tmp_path / "modules"
    write_tree_atomic(tree, modules_for(ModuleRequest(platform="aws", os=os_name)))
    return tree


def typhoon_rules(state: dict[str, object]) -> set[str]:
    """Addresses of Typhoon's security group rule instances in a state."""
    found: set[str] = set()
    for resource in state["resources"]:  # type: ignore[attr-defined]
        if resource["type"] != "aws_security_group_rule":
            continue
        for instance in resource["instances"]:
            key = instance.get("index_key")
            suffix = "" if key is None else f"[{key}]"
            found.add(f"{resource['module']}.aws_security_group_rule.{resource['name']}{suffix}")
    return found


def flannel_fixture(source: Path, target: Path) -> Path:
    """`source` as a Typhoon user with networking = "flannel" would have left it."""
    shutil.copytree(source, target)
    main_tf = target / "main.tf"
    main_tf.chmod(0o644)
    text, count = re.subn(
        r'networking(\s*)= "cilium"', r'networking\1= "flannel"', main_tf.read_text()
    )
    assert count == 1
    main_tf.write_text(text)
    state_file = target / "terraform.tfstate"
    state_file.chmod(0o644)
    state = json.loads(state_file.read_text())
    state["resources"] = [
        r
        for r in state["resources"]
        if not (r["type"] == "aws_security_group_rule" and r["name"] in CILIUM_ONLY_RULES)
    ]
    state_file.write_text(json.dumps(state, indent=2))
    return target


def check_switch(plan: MigrationPlan, state: dict[str, object]) -> None:
    changes = plan.changes()
    assert [c.describe() for c in plan.destructive()] == []
    assert not [c for c in changes if c.action == "create"], "the switch creates resources"

    # Every Typhoon rule is moved, unchanged (all their arguments force a new rule).
    rules = [c for c in changes if c.type == "aws_security_group_rule"]
    moved = {c.previous_address for c in rules if c.action == "move"}
    unmoved = {c.address for c in rules if c.previous_address is None}
    assert moved | unmoved == typhoon_rules(state)
    assert all(a.endswith(("controller-egress", "worker-egress")) for a in unmoved), unmoved
    assert all(c.action in ("move", "no-op") for c in rules), [c.describe() for c in rules]

    for change in plan.updates():
        assert change.type in EXPECTED_UPDATES, change.describe()
        assert set(change.changed) <= EXPECTED_UPDATES[change.type], (
            change.address,
            change.changed,
        )


@pytest.mark.parametrize("os_name", ["fedora-coreos", "flatcar-linux"])
def test_switch_from_typhoon_moves_every_rule(tmp_path: Path, os_name: str) -> None:
    fixture = FIXTURES / f"aws-{os_name}"
    plan = plan_migration(fixture, our_modules(tmp_path, os_name), tmp_path / "work")
    state = json.loads((fixture / "terraform.tfstate").read_text())
    assert len(typhoon_rules(state)) == 36  # 34 named rules + 2 egress
    check_switch(plan, state)
    print(f"aws-{os_name}: {plan.counts()}")


def test_switch_from_a_flannel_typhoon_cluster(tmp_path: Path) -> None:
    fixture = flannel_fixture(FIXTURES / "aws-fedora-coreos", tmp_path / "fixture")
    plan = plan_migration(fixture, our_modules(tmp_path, "fedora-coreos"), tmp_path / "work")
    state = json.loads((fixture / "terraform.tfstate").read_text())
    assert len(typhoon_rules(state)) == 24
    check_switch(plan, state)


def test_ipv6_is_open_only_where_typhoon_opens_it() -> None:
    """Typhoon: ::/0 on controller SSH and the two egress rules, nowhere else."""
    security = (
        Path(__file__).parents[1] / "typhoon_tf/platforms/aws/kubernetes/security.tf"
    ).read_text()
    dual_stack = re.findall(r'^\s+([\w-]+)\s+= \{[^}]*source = "internet" \}', security, re.M)
    assert dual_stack == ["ssh"]  # the controller table's; the worker's is IPv4 only
    assert security.count('ipv6_cidr_blocks  = ["::/0"]') == 2  # the egress rules
    deviations = " ".join(load_platform("aws").extra["deviations"])
    assert "moved.tf" in deviations and "IMDSv2" in deviations and "user_data" in deviations
