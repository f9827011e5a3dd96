"""Refuse plans that would replace or destroy controllers.

Controllers run etcd: replacing one loses a member, replacing all of them at once loses the
cluster. A day-2 change (a new AMI, a changed snippet, another instance type) can do that
silently, so the driver inspects every plan and stops unless the operator said
`--allow-controller-replacement`.

A resource counts as a controller when its *type* is a controller resource of some platform
(`controller_resources:` in each platform.yaml) and its *name* contains "controller"
(Typhoon names them `controllers`, bare-metal `controller`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from typhoon_tf.driver.errors import Refused
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
