"""The driver's pool awareness on synthetic plans: the guard's notes (a pool rolls, a pool
is destroyed, a pool is new) and the progress lines per module call. Real plans of
generated pools: tests/test_worker_pools_cycle.py."""

from __future__ import annotations

import io
from typing import Any

from typhoon_tf.driver.guard import check_controller_replacement, pool_changes
from typhoon_tf.driver.progress import Progress, UiEvent, top_module

CALLS = {
    "tempest": {"source": "./modules/aws/fedora-coreos/kubernetes"},
    "tempest-arm": {"source": "./modules/aws/fedora-coreos/kubernetes/workers"},
    "tempest-spot": {"source": "./modules/aws/fedora-coreos/kubernetes/workers"},
    "tempest-new": {"source": "./modules/aws/fedora-coreos/kubernetes/workers"},
    "mercury-gpu": {"source": "./modules/bare-metal/fedora-coreos/kubernetes/worker"},
}


def rc(address: str, type_name: str, actions: list[str]) -> dict[str, Any]:
    name = address.rsplit(".", 1)[-1].split("[")[0]
    return {
        "address": address,
        "type": type_name,
        "name": name,
        "change": {"actions": actions, "before": {}, "after": {}},
    }


PLAN: dict[str, Any] = {
    "configuration": {"root_module": {"module_calls": CALLS}},
    "resource_changes": [
        # The cluster's own workers template changes: not a pool of the root.
        rc(
            "module.tempest.module.workers.aws_launch_template.worker",
            "aws_launch_template",
            ["update"],
        ),
        rc("module.tempest-arm.aws_launch_template.worker", "aws_launch_template", ["update"]),
        rc("module.tempest-arm.aws_autoscaling_group.workers", "aws_autoscaling_group", ["update"]),
        rc("module.tempest-spot.aws_autoscaling_group.workers", "aws_autoscaling_group", ["no-op"]),
        rc("module.tempest-web.aws_autoscaling_group.workers", "aws_autoscaling_group", ["delete"]),
        rc("module.tempest-web.aws_launch_template.worker", "aws_launch_template", ["delete"]),
        rc("module.tempest-new.aws_launch_template.worker", "aws_launch_template", ["create"]),
        rc(
            'module.mercury-gpu["node4"].matchbox_profile.worker',
            "matchbox_profile",
            ["delete", "create"],
        ),
    ],
}


def test_pool_changes_say_which_pool_rolls_is_removed_or_new() -> None:
    found = {c.module: c for c in pool_changes(PLAN)}
    assert {m: c.kind for m, c in found.items()} == {
        "module.tempest-arm": "rolled",
        "module.tempest-web": "removed",
        "module.tempest-new": "added",
        "module.mercury-gpu": "rolled",
    }
    assert found["module.tempest-arm"].addresses == (
        "module.tempest-arm.aws_launch_template.worker",
    )
    assert "its 2 resource(s) will be destroyed" in str(found["module.tempest-web"])
    assert "rolls its instances" in str(found["module.tempest-arm"])
    assert 'module.mercury-gpu["node4"]' in found["module.mercury-gpu"].addresses[0]


def test_pools_are_not_controllers() -> None:
    assert check_controller_replacement(PLAN, allow=False) == []


def test_a_removed_module_with_survivors_is_not_called_removed() -> None:
    plan = {
        "configuration": {"root_module": {"module_calls": {}}},
        "resource_changes": [
            rc("module.x.aws_launch_template.worker", "aws_launch_template", ["delete"]),
            rc("module.x.aws_autoscaling_group.workers", "aws_autoscaling_group", ["update"]),
        ],
    }
    assert pool_changes(plan) == []


def planned(addr: str, action: str) -> UiEvent:
    return {"type": "planned_change", "change": {"action": action, "resource": {"addr": addr}}}


def test_progress_tallies_planned_changes_per_module_call() -> None:
    out = io.StringIO()
    progress = Progress(out, clock=lambda: 0.0)
    events: list[UiEvent] = [
        planned("module.tempest.aws_instance.controllers[0]", "update"),
        planned("module.tempest-arm.aws_launch_template.worker", "update"),
        planned("module.tempest-web.aws_launch_template.worker", "delete"),
        planned("module.tempest-web.aws_autoscaling_group.workers", "delete"),
        {"type": "change_summary", "@message": "Plan: 0 to add, 2 to change, 2 to destroy."},
    ]
    for event in events:
        progress.handle(event)
    lines = out.getvalue().splitlines()
    assert "  module.tempest-arm: 1 to change" in lines
    assert "  module.tempest-web: 2 to destroy" in lines
    assert "  module.tempest: 1 to change" in lines


def test_progress_adds_no_tally_for_a_single_module() -> None:
    out = io.StringIO()
    progress = Progress(out, clock=lambda: 0.0)
    progress.handle(planned("module.tempest.aws_instance.controllers[0]", "create"))
    progress.handle({"type": "change_summary", "@message": "Plan: 1 to add."})
    assert "module.tempest:" not in out.getvalue()


def test_top_module() -> None:
    assert top_module('module.m-gpu["node4"].matchbox_profile.worker') == "module.m-gpu"
    assert top_module("module.tempest.module.workers.aws_lb.x") == "module.tempest"
    assert top_module("aws_instance.x") is None
