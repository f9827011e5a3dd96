"""JSON Schema of the cluster config, built from the platform descriptions.

The schema is derived, never hand-kept: every module variable of every platform appears
with its Terraform type, so the schema and the generated modules cannot drift apart.
`typhoon-tf schema` prints it for editors (yaml-language-server, VS Code).
"""

from __future__ import annotations

import re
from typing import Any

from typhoon_tf.config.ignition_versions import IGNITION_VERSIONS as IGNITION_VERSIONS
from typhoon_tf.platforms import (
    OPERATING_SYSTEMS,
    PoolWiring,
    Variable,
    available_platforms,
    load_platform,
)

SCHEMA_ID = "https://typhoon-tf.dev/schemas/cluster.schema.json"
MODULE_NAME_PATTERN = "^[a-z_][a-z0-9_-]*$"
# A provider argument name must be an HCL identifier (it becomes `name = value`).
HCL_IDENTIFIER_PATTERN = "^[A-Za-z_][A-Za-z0-9_-]*$"
# Kubernetes' documented largest cluster: no node count beyond this is a real cluster.
MAX_NODES = 5000

# Bounds Terraform's `number` type does not state but no real cluster crosses, by
# variable-name suffix (so every platform and pool gets them): (minimum, maximum, whole).
# Without them 10^30 workers or a -5 GB disk only fail at apply time, far from the config.
NUMBER_BOUNDS: tuple[tuple[str, float, float | None, bool], ...] = (
    ("controller_count", 1, MAX_NODES, True),
    ("_count", 0, MAX_NODES, True),
    ("disk_size", 1, 65536, True),  # GB; the largest cloud disks are 64 TiB
    ("disk_iops", 0, 1_000_000, True),
    ("certificate_validity_hours", 1, 100 * 8766, True),
    ("_price", 0, None, False),
)

_LIST = re.compile(r"^(list|set)\((.+)\)$")
_MAP = re.compile(r"^map\((.+)\)$")
_OBJECT = re.compile(r"^object\(\{(.*)\}\)$", re.DOTALL)
_OPTIONAL = re.compile(r"^optional\((.+)\)$", re.DOTALL)


def terraform_type_schema(tf_type: str) -> dict[str, Any]:
    """JSON Schema for values of a Terraform type expression (the subset our modules use)."""
    tf_type = tf_type.strip()
    if tf_type == "string":
        return {"type": "string"}
    if tf_type == "number":
        return {"type": "number"}
    if tf_type == "bool":
        return {"type": "boolean"}
    if tf_type == "any":
        return {}
    if m := _LIST.match(tf_type):
        return {"type": "array", "items": terraform_type_schema(m.group(2))}
    if m := _MAP.match(tf_type):
        return {"type": "object", "additionalProperties": terraform_type_schema(m.group(1))}
    if m := _OBJECT.match(tf_type):
        attributes = dict(_object_attribute(a) for a in _split_top_level(m.group(1)))
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [name for name, t in attributes.items() if not _OPTIONAL.match(t)],
            "properties": {name: _attribute_schema(t) for name, t in attributes.items()},
        }
    raise ValueError(f"unsupported Terraform type in platform description: {tf_type}")


def _attribute_schema(tf_type: str) -> dict[str, Any]:
    """An object attribute; `optional(T)` / `optional(T, default)` may be left out or null."""
    optional = _OPTIONAL.match(tf_type)
    if optional is None:
        return terraform_type_schema(tf_type)
    schema = terraform_type_schema(_split_top_level(optional.group(1))[0])
    if "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


def _split_top_level(text: str) -> list[str]:
    """Split `a = x, b = list(y)` at the commas (or newlines) outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "({["
        depth -= ch in ")}]"
        if ch in ",\n" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _object_attribute(text: str) -> tuple[str, str]:
    name, sep, tf_type = text.partition("=")
    if not sep:
        raise ValueError(f"unsupported object attribute in platform description: {text}")
    return name.strip(), tf_type.strip()


def number_bounds(name: str) -> dict[str, Any]:
    """JSON Schema bounds for a `number` variable called `name` (empty when unbounded)."""
    for suffix, minimum, maximum, whole in NUMBER_BOUNDS:
        if name.endswith(suffix):
            bounds: dict[str, Any] = {"minimum": minimum}
            if maximum is not None:
                bounds["maximum"] = maximum
            if whole:
                bounds["multipleOf"] = 1
            return bounds
    return {}


def variable_schema(var: Variable) -> dict[str, Any]:
    schema = dict(terraform_type_schema(var.type))
    if var.type.strip() == "number":
        schema.update(number_bounds(var.name))
    schema["description"] = var.description
    nullable = not var.required and var.default is None
    if nullable and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    if var.enum is not None:
        schema["enum"] = [*var.enum, None] if nullable else list(var.enum)
    if var.default is not None:
        schema["default"] = var.default
    return schema


def module_variables_schema(platform: str, os_name: str) -> dict[str, Any]:
    """Schema of the `cluster:` mapping for one platform and OS."""
    variables = load_platform(platform).variables_for(os_name)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [v.name for v in variables if v.required],
        "properties": {v.name: variable_schema(v) for v in variables},
    }


# A pool name: a DNS label (it becomes part of cloud resource names and a module label).
POOL_NAME_PATTERN = "^[a-z]([a-z0-9-]*[a-z0-9])?$"
POOLS_KEY = "worker_pools"


def pool_schema(platform: str, os_name: str) -> dict[str, Any] | None:
    """Schema of one `worker_pools:` entry, derived from the platform's workers submodule
    (None where the platform has none): its variables minus those the generator wires."""
    workers = load_platform(platform).workers
    if workers is None or workers.pool is None:
        return None
    variables = workers.pool_variables(os_name)
    inherited = set(workers.pool.inherit)
    properties: dict[str, Any] = {
        "name": {
            "type": "string",
            "pattern": POOL_NAME_PATTERN,
            "description": "Pool name, unique in the cluster (the module block is "
            "`<cluster_name>-<name>`)",
        },
    }
    required = ["name"]
    if workers.pool.machine:
        properties["machines"] = _machines_schema(workers.variables_for(os_name), workers.pool)
        required.append("machines")
    for var in variables:
        schema = variable_schema(var)
        if var.name in inherited:
            schema["description"] += " (default: the cluster's value)"
            schema.pop("default", None)
        properties[var.name] = schema
        if var.required and var.name not in inherited:
            required.append(var.name)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def _machines_schema(variables: list[Variable], pool: PoolWiring) -> dict[str, Any]:
    by_name = {v.name: v for v in variables}
    return {
        "type": "array",
        "minItems": 1,
        "description": "The pool's machines, one worker module each (keyed by machine name)",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": list(pool.machine),
            "properties": {name: variable_schema(by_name[name]) for name in pool.machine},
        },
    }


def pools_schema(platform: str, os_name: str) -> dict[str, Any]:
    """Schema of the `worker_pools:` list for one platform and OS."""
    item = pool_schema(platform, os_name)
    if item is None:
        # No workers submodule (DigitalOcean): only an empty list is accepted.
        return {"type": "array", "maxItems": 0}
    return {"type": "array", "items": item}


def document_schema() -> dict[str, Any]:
    """The top-level shape, without the per-platform `cluster:` details."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["platform", "os", "cluster"],
        "properties": {
            "platform": {
                "enum": available_platforms(),
                "description": "Where the cluster runs",
            },
            "os": {"enum": list(OPERATING_SYSTEMS), "description": "Node operating system"},
            "name": {
                "type": "string",
                "pattern": MODULE_NAME_PATTERN,
                "description": "Name of the module block in the generated root module "
                "(default: cluster_name)",
            },
            "ignition_version": {
                "enum": sorted({v for vs in IGNITION_VERSIONS.values() for v in vs}),
                "description": "Ignition spec version of node configs (default 3.3.0; "
                "Flatcar also 2.3.0 for old images)",
            },
            "provider": {
                "type": "object",
                "description": "Arguments of the root module's provider block "
                "(e.g. region for AWS)",
                "additionalProperties": {"type": ["string", "number", "boolean"]},
                "propertyNames": {"pattern": HCL_IDENTIFIER_PATTERN},
            },
            "cluster": {
                "type": "object",
                "description": "Module input variables, with Typhoon's names",
            },
            POOLS_KEY: {
                "type": "array",
                "description": "Extra named worker pools, each a call of the platform's "
                "workers submodule (bare-metal: per-machine worker modules) wired to the "
                "cluster; see docs/worker-pools.md",
                "items": {"type": "object"},
            },
            "coordinated_updates": {
                "type": "boolean",
                "description": "Coordinate OS update reboots: Zincati asks a fleetlock server "
                "(Fedora CoreOS) or the Flatcar Linux Update Operator drains nodes (Flatcar); "
                "the addon's manifests are written under addons/",
            },
            "snippets": {
                "type": "object",
                "additionalProperties": False,
                "description": "Butane files merged into node configs at generate time "
                "(paths relative to this file)",
                "properties": {
                    role: {"type": "array", "items": {"type": "string", "minLength": 1}}
                    for role in ("controller", "worker")
                },
            },
        },
    }


def cluster_schema() -> dict[str, Any]:
    """The full published schema: the document shape plus each platform × OS `cluster:`."""
    schema = document_schema()
    branches = []
    for platform in available_platforms():
        for os_name in OPERATING_SYSTEMS:
            branches.append(
                {
                    "if": {
                        "properties": {"platform": {"const": platform}, "os": {"const": os_name}},
                        "required": ["platform", "os"],
                    },
                    "then": {
                        "properties": {
                            "cluster": module_variables_schema(platform, os_name),
                            POOLS_KEY: pools_schema(platform, os_name),
                        }
                    },
                }
            )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "typhoon-tf cluster config",
        **schema,
        "allOf": branches,
    }
