"""Read resources and the rendered node configs (user_data & co.) out of `show -json` output."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any

# (resource type, attribute, base64-encoded?) in the order we look for a node config.
_NODE_CONFIG_ATTRIBUTES: tuple[tuple[str, str, bool], ...] = (
    ("aws_instance", "user_data", False),
    ("aws_instance", "user_data_base64", True),
    ("aws_spot_instance_request", "user_data", False),
    ("aws_launch_template", "user_data", True),
    ("digitalocean_droplet", "user_data", False),
    ("google_compute_instance", "metadata.user-data", False),
    ("google_compute_instance_template", "metadata.user-data", False),
    ("google_compute_region_instance_template", "metadata.user-data", False),
    ("azurerm_linux_virtual_machine", "custom_data", True),
    ("azurerm_linux_virtual_machine_scale_set", "custom_data", True),
    ("azurerm_orchestrated_virtual_machine_scale_set", "user_data_base64", True),
    ("matchbox_profile", "raw_ignition", False),
    ("matchbox_profile", "generic_config", False),
)


def iter_resources(values: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    """Every resource object in a `values`/`planned_values` tree, child modules included."""
    if not values:
        return
    stack = [values.get("root_module") or {}]
    while stack:
        module = stack.pop(0)
        yield from module.get("resources", [])
        stack.extend(module.get("child_modules", []))


def _lookup(values: dict[str, Any], dotted: str) -> Any:
    head, _, rest = dotted.partition(".")
    value = values.get(head)
    if rest:
        return value.get(rest) if isinstance(value, dict) else None
    return value


def _decode_b64(text: str) -> str:
    try:
        return base64.b64decode(text, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return text


def rendered_node_configs(values: dict[str, Any] | None) -> dict[str, str]:
    """Address -> rendered user_data/custom_data/metadata user-data/raw_ignition (decoded)."""
    found: dict[str, str] = {}
    for resource in iter_resources(values):
        if resource.get("mode") != "managed":
            continue
        attrs = resource.get("values") or {}
        for type_name, attribute, encoded in _NODE_CONFIG_ATTRIBUTES:
            if resource.get("type") != type_name:
                continue
            value = _lookup(attrs, attribute)
            if isinstance(value, str) and value:
                found[resource["address"]] = _decode_b64(value) if encoded else value
                break
    return found
