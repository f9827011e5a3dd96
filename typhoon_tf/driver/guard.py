"""Refuse plans that would replace or destroy controllers.

Controllers run etcd: replacing one loses a member, replacing all of them at once loses the
cluster. A day-2 change (a new AMI, a changed snippet, another instance type) can do that
silently, so the driver inspects every plan and stops unless the operator said
`--allow-controller-replacement`.

A resource counts as a controller when its *type* is a controller resource of some platform
(`controller_resources:` in each platform.yaml) and its *name* contains "controller"
(Typhoon names them `controllers`, bare-metal `controller`).

Worker pools are not refused but explained (`pool_changes`): a pool whose node template
changes rolls its instances, and a pool dropped from the config is destroyed; the driver
says so before it applies.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from typhoon_tf.driver.errors import Refused
from typhoon_tf.driver.progress import top_module
from typhoon_tf.platforms import available_platforms, load_platform

CONTROLLER_NAME_PART = "controller"


def _controller_resources() -> dict[str, tuple[str, ...]]:
    """Controller resource type -> attributes whose change restarts it, from every
    platform description (`controller_resources:` in platform.yaml)."""
    found: dict[str, tuple[str, ...]] = {}
    for name in available_platforms():
        for type_name, attributes in load_platform(name).extra["controller_resources"].items():
            found[type_name] = tuple(attributes)
    return found


# In-place updates of RESTARTING_ATTRIBUTES stop and start the machine (a resize): the etcd
# member goes down, and with one controller so does the cluster. Treated like a replacement.
RESTARTING_ATTRIBUTES: dict[str, tuple[str, ...]] = _controller_resources()
CONTROLLER_TYPES: frozenset[str] = frozenset(RESTARTING_ATTRIBUTES)

ALLOW_FLAG = "--allow-controller-replacement"


@dataclass(frozen=True)
class ControllerChange:
    address: str
    actions: tuple[str, ...]

    @property
    def verb(self) -> str:
        if "create" in self.actions and "delete" in self.actions:
            return "replaced"
        if "update" in self.actions:
            return "restarted (resized in place)"
        return "destroyed"

    def __str__(self) -> str:
        return f"{self.address} would be {self.verb}"


def _is_controller(change: Mapping[str, Any], types: Collection[str]) -> bool:
    return change.get("type") in types and CONTROLLER_NAME_PART in str(change.get("name", ""))


def controller_changes(
    plan: Mapping[str, Any], types: Collection[str] = CONTROLLER_TYPES
) -> list[ControllerChange]:
    """Controllers the plan replaces, destroys or restarts, in plan order."""
    found = []
    for change in plan.get("resource_changes", []):
        actions = tuple(change.get("change", {}).get("actions", ()))
        if not _is_controller(change, types):
            continue
        if "delete" in actions or (actions == ("update",) and _restarts(change)):
            found.append(ControllerChange(change["address"], actions))
    return found


def _restarts(change: Mapping[str, Any]) -> bool:
    before = change.get("change", {}).get("before") or {}
    after = change.get("change", {}).get("after") or {}
    return any(
        before.get(name) != after.get(name)
        for name in RESTARTING_ATTRIBUTES.get(str(change.get("type")), ())
    )


def check_controller_replacement(
    plan: Mapping[str, Any],
    *,
    allow: bool,
    types: Collection[str] = CONTROLLER_TYPES,
) -> list[ControllerChange]:
    """Raise `Refused` when the plan touches controllers destructively and `allow` is False."""
    changes = controller_changes(plan, types)
    if changes and not allow:
        raise Refused(
            f"refusing to apply: the plan replaces, destroys or restarts {len(changes)} controller "
            "node(s), and controllers hold etcd members (replacing them can lose the cluster):",
            [str(c) for c in changes],
            f"Review the plan; if this is intended, run again with {ALLOW_FLAG}.",
        )
    return changes


# -- worker pools -------------------------------------------------------------------------

# Module sources of pool blocks (typhoon_tf.generate.pool_blocks): the workers submodule,
# or bare-metal's per-machine worker module.
POOL_SOURCE_SUFFIXES = ("/kubernetes/workers", "/kubernetes/worker")


def _worker_template_types() -> frozenset[str]:
    """Resource types holding a worker pool's node template, from every platform
    description (`worker_template_resources:`): a change to one rolls the pool."""
    found: set[str] = set()
    for name in available_platforms():
        found.update(load_platform(name).extra.get("worker_template_resources", ()))
    return frozenset(found)


WORKER_TEMPLATE_TYPES = _worker_template_types()


@dataclass(frozen=True)
class PoolChange:
    """What a plan does to one worker pool (a top-level pool module of the root)."""

    module: str  # e.g. "module.tempest-gpu"
    kind: str  # "removed", "rolled" or "added"
    addresses: tuple[str, ...]

    def __str__(self) -> str:
        count = len(self.addresses)
        if self.kind == "removed":
            return (
                f"worker pool {self.module} is no longer in the configuration: "
                f"its {count} resource(s) will be destroyed"
            )
        if self.kind == "added":
            return f"worker pool {self.module} is new: {count} resource(s) to create"
        templates = ", ".join(a.removeprefix(f"{self.module}.") for a in self.addresses)
        return (
            f"worker pool {self.module}: its node template changes ({templates}), "
            "so the pool rolls its instances (bare-metal: on each machine's next reinstall)"
        )


def _pool_calls(plan: Mapping[str, Any]) -> set[str]:
    calls = plan.get("configuration", {}).get("root_module", {}).get("module_calls", {})
    return {
        f"module.{label}"
        for label, call in calls.items()
        if str(call.get("source", "")).endswith(POOL_SOURCE_SUFFIXES)
    }


def pool_changes(plan: Mapping[str, Any]) -> list[PoolChange]:
    """Pools the plan removes, adds or rolls, in module order.

    A removed pool's module call is gone from the configuration, so it is recognised by
    its resources: all deleted, under a module the configuration no longer calls.
    """
    pools = _pool_calls(plan)
    calls = plan.get("configuration", {}).get("root_module", {}).get("module_calls", {})
    grouped: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    for rc in plan.get("resource_changes", []):
        module = top_module(str(rc.get("address", "")))
        actions = tuple(rc.get("change", {}).get("actions", ()))
        if module is None or actions in (("no-op",), ("read",)):
            continue
        grouped.setdefault(module, []).append((rc["address"], str(rc.get("type")), actions))
    found = []
    for module, items in sorted(grouped.items()):
        addresses = tuple(a for a, _, _ in items)
        if module.removeprefix("module.") not in calls:
            if all(actions == ("delete",) for _, _, actions in items):
                found.append(PoolChange(module, "removed", addresses))
        elif module in pools and all(actions == ("create",) for _, _, actions in items):
            found.append(PoolChange(module, "added", addresses))
        elif module in pools:
            rolled = tuple(
                a
                for a, type_name, actions in items
                if type_name in WORKER_TEMPLATE_TYPES and actions != ("create",)
            )
            if rolled:
                found.append(PoolChange(module, "rolled", rolled))
    return found


def destroyed_resources(plan: Mapping[str, Any]) -> list[str]:
    return [
        rc["address"]
        for rc in plan.get("resource_changes", [])
        if "delete" in rc.get("change", {}).get("actions", ())
    ]


def check_destroy_confirmed(plan: Mapping[str, Any], *, yes: bool) -> list[str]:
    """Raise `Refused` for a destroy plan unless the operator passed `--yes`."""
    doomed = destroyed_resources(plan)
    if doomed and not yes:
        shown = doomed if len(doomed) <= 20 else [*doomed[:20], f"... and {len(doomed) - 20} more"]
        raise Refused(
            f"refusing to destroy {len(doomed)} resource(s) without --yes:",
            shown,
            "This deletes the whole cluster; run again with --yes to confirm.",
        )
    return doomed
