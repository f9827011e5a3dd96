"""`terraform import` for the fake `hashicorp/kubernetes`: a JSON file stands for the cluster.

The file named by `TYPHOON_TF_FAKE_CLUSTER` holds the cluster's objects as the provider's
state holds them, by resource type and import ID:

    {"kubernetes_deployment": {"kube-system/coredns": {"metadata": [...], "spec": [...]}}}

Import IDs are the provider's (2.38.0, `resourceIdentityImportNamespaced` and
`...NonNamespaced`): `namespace/name` for namespaced objects, `name` for cluster-scoped
ones. Importing returns the stored object as the provider's Read would: its fields, the ID,
the values the API server assigns (uid, resource version: generated), and null for what is
not part of the object (`wait_for_rollout`, `timeouts`). `cluster_store` builds such a file
from Kubernetes objects with the addon generator's own field mapping (`k8s_hcl`), so the
seeded objects and the addon modules' resources are written by one mapping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from typhoon_tf.testing.fakeprovider.errors import ProviderError
from typhoon_tf.testing.fakeprovider.schema import JsonBlock
from typhoon_tf.testing.fakeprovider.values import ValueGen, fill_unknowns, mark_computed_unknown

CLUSTER_ENV = "TYPHOON_TF_FAKE_CLUSTER"
# Typed resources the fake can import (kubernetes_manifest is not among them).
IMPORTABLE = (
    "kubernetes_service_account",
    "kubernetes_cluster_role",
    "kubernetes_cluster_role_binding",
    "kubernetes_config_map",
    "kubernetes_daemonset",
    "kubernetes_deployment",
    "kubernetes_service",
)
Store = dict[str, dict[str, dict[str, Any]]]


def _namespaced(block: JsonBlock) -> bool:
    metadata = block.get("block_types", {}).get("metadata", {}).get("block", {})
    return "namespace" in metadata.get("attributes", {})


def full_shape(block: JsonBlock, value: Mapping[str, Any]) -> dict[str, Any]:
    """`value` with every attribute and block of `block` present (null or empty)."""
    out: dict[str, Any] = {name: value.get(name) for name in block.get("attributes", {})}
    for name, nested in block.get("block_types", {}).items():
        mode, inner = nested["nesting_mode"], nested["block"]
        given = value.get(name)
        if mode in ("single", "group"):
            out[name] = full_shape(inner, given) if given is not None else None
        elif mode == "map":
            out[name] = {k: full_shape(inner, v) for k, v in (given or {}).items()}
        else:
            out[name] = [full_shape(inner, v) for v in given or []]
    return out


def import_state(type_name: str, import_id: str, block: JsonBlock, gen: ValueGen) -> dict[str, Any]:
    """The state `terraform import TYPE import_id` gets from the fake cluster."""
    if type_name not in IMPORTABLE:
        raise ProviderError(f"import of {type_name} is not supported by the fake provider")
    if _namespaced(block) and import_id.count("/") != 1:
        # The provider's idParts().
        raise ProviderError(f'Unexpected ID format ("{import_id}"), expected namespace/name.')
    path = os.environ.get(CLUSTER_ENV)
    if not path:
        raise ProviderError(
            "import is not supported by the fake provider without a cluster",
            f"set {CLUSTER_ENV} to a JSON file of objects by type and import ID",
        )
    store: Store = json.loads(Path(path).read_text())
    stored = store.get(type_name, {}).get(import_id)
    if stored is None:
        raise ProviderError(
            "Cannot import non-existent remote object",
            f"{type_name} {import_id!r} is not in the fake cluster ({path})",
        )
    value = full_shape(block, stored)
    value["id"] = import_id
    return fill_unknowns(block, mark_computed_unknown(block, value), gen)


def import_id(obj: Mapping[str, Any]) -> str:
    meta = obj["metadata"]
    namespace = meta.get("namespace")
    return f"{namespace}/{meta['name']}" if namespace else str(meta["name"])


def cluster_store(objects: Iterable[Mapping[str, Any]]) -> Store:
    """Kubernetes objects (parsed manifests) as a fake cluster, in the provider's state shape."""
    from typhoon_tf.addons import k8s_hcl
    from typhoon_tf.addons.tftemplate import Symbols

    converter = k8s_hcl.Converter(Symbols())
    store: Store = {}
    for obj in objects:
        type_name = k8s_hcl.resource_type(obj["kind"])
        if type_name not in IMPORTABLE:
            continue
        value = converter.state_value(type_name, obj)
        store.setdefault(type_name, {})[import_id(obj)] = value
    return store
