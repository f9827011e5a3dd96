"""Refuse plans that would replace or destroy controllers.

Controllers run etcd: replacing one loses a member, replacing all of them at once loses the
cluster. A day-2 change (a new AMI, a changed snippet, another instance type) can do that
silently, so the driver inspects every plan and stops unless the operator said
`--allow-controller-replacement`.

A resource counts as a controller when its *type* is one of the node types below and its
*name* contains "controller" (Typhoon names them `controllers`, bare-metal `controller`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from typhoon_tf.driver.errors import Refused

# Resource types that are (or boot) a controller node, per platform.
CONTROLLER_TYPES: frozenset[str] = frozenset(
    {
        "aws_instance",  # AWS
        "google_compute_instance",  # Google Cloud
        "azurerm_linux_virtual_machine",  # Azure
        "azurerm_virtual_machine",  # Azure (legacy resource)
        "digitalocean_droplet",  # DigitalOcean
        "matchbox_group",  # bare-metal: the machine's PXE/Ignition selection
        "matchbox_profile",  # bare-metal: the controller's boot profile
    }
)
CONTROLLER_NAME_PART = "controller"

# In-place updates that stop and start the machine (a resize): the etcd member goes down,
# and with one controller so does the cluster. Treated like a replacement.
RESTARTING_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "aws_instance": ("instance_type",),
    "google_compute_instance": ("machine_type",),
    "azurerm_linux_virtual_machine": ("size",),
    "digitalocean_droplet": ("size",),
}

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
