"""`worker_pools:` of a cluster config: validation beyond the JSON Schema, and the model.

The schema (typhoon_tf.config.schema.pools_schema) is derived from the platform's workers
submodule, so keys and types follow the module. Here are the checks a schema cannot state:
names unique and short enough for the cloud resources named after them, an OS image that
belongs to the cluster's OS, labels and taints the kubelet accepts, bare-metal machines
unique across the cluster.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from typhoon_tf.config.model import Machine, WorkerPool
from typhoon_tf.config.schema import POOLS_KEY, pool_schema
from typhoon_tf.config.snippet_version import newer_snippet_problem
from typhoon_tf.platforms import DNS_LABEL_MAX, OPERATING_SYSTEMS, OS_TITLES, load_platform
from typhoon_tf.yamlsrc import KeyPath, SourcedYAML

SchemaCheck = Callable[[SourcedYAML, Any, dict[str, Any], KeyPath], None]

DNS_LABEL = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", re.IGNORECASE)
# Kubelet --node-labels and --register-with-taints syntax (key may carry a DNS prefix).
_KEY = r"([a-z0-9A-Z.-]+/)?[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?"
LABEL = re.compile(rf"^{_KEY}=([a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?)?$")
TAINT = re.compile(rf"^{_KEY}(=[a-zA-Z0-9_.-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$")
IMAGE_VARIABLES = ("os_image", "os_stream", "os_channel", "image_id")
# Words by which an image name or channel gives its OS away.
OS_WORDS = {"fedora-coreos": ("fedora", "fcos"), "flatcar-linux": ("flatcar",)}


def pool_module_name(cluster_name: str, pool: str) -> str:
    """The root module's block label of a pool, and its cloud-side name (`name =`)."""
    return f"{cluster_name}-{pool}"


def read_worker_pools(
    doc: SourcedYAML,
    raw: dict[str, Any],
    check_schema: SchemaCheck,
    node_version: str,
) -> tuple[WorkerPool, ...]:
    """Validate `raw["worker_pools"]` (the whole document `raw` is already valid)."""
    pools = raw.get(POOLS_KEY)
    if not pools:
        return ()
    platform, os_name = raw["platform"], raw["os"]
    schema = pool_schema(platform, os_name)
    if schema is None:
        raise doc.error(
            (POOLS_KEY,),
            f"{platform} has no worker-pool module; set the cluster's worker_count instead",
        )
    for i, pool in enumerate(pools):
        _check_other_os_keys(doc, pool, i, platform, os_name)
    check_schema(doc, pools, {"type": "array", "items": schema}, (POOLS_KEY,))
    _check_names(doc, raw, pools)
    for i, pool in enumerate(pools):
        _check_pool_values(doc, pool, i, platform, os_name, node_version)
    if schema["properties"].get("machines"):
        _check_machines(doc, raw["cluster"], pools)
    return tuple(_pool(p) for p in pools)


def _pool(raw: dict[str, Any]) -> WorkerPool:
    variables = {k: v for k, v in raw.items() if k not in ("name", "machines")}
    machines = tuple(Machine(m["name"], m["mac"], m["domain"]) for m in raw.get("machines", ()))
    return WorkerPool(name=raw["name"], variables=variables, machines=machines)


def _check_other_os_keys(
    doc: SourcedYAML, pool: Any, index: int, platform: str, os_name: str
) -> None:
    """A variable of the other OS's module (Flatcar's os_image on a Fedora CoreOS cluster)
    gets a message saying so, rather than `unknown key`."""
    workers = load_platform(platform).workers
    if not isinstance(pool, dict) or workers is None:
        return
    ours = {v.name for v in workers.variables_for(os_name)}
    for other in OPERATING_SYSTEMS:
        if other == os_name:
            continue
        theirs = {v.name for v in workers.variables_for(other)} - ours
        for key in sorted(theirs & set(pool)):
            hint = [n for n in IMAGE_VARIABLES if n in ours and n in _pool_keys(platform, os_name)]
            use = f" (use {hint[0]})" if key in IMAGE_VARIABLES and hint else ""
            raise doc.error(
                (POOLS_KEY, index, key),
                f"{key!r} is a {OS_TITLES[other]} setting; this cluster runs "
                f"{OS_TITLES[os_name]}{use}",
            )


@cache
def _pool_keys(platform: str, os_name: str) -> frozenset[str]:
    schema = pool_schema(platform, os_name) or {"properties": {}}
    return frozenset(schema["properties"])


def _check_names(doc: SourcedYAML, raw: dict[str, Any], pools: list[dict[str, Any]]) -> None:
    platform = load_platform(raw["platform"])
    cluster_name = str(raw["cluster"]["cluster_name"])
    module_name = raw.get("name") or cluster_name.replace("-", "_")
    bare_metal = bool(platform.workers and platform.workers.pool and platform.workers.pool.machine)
    # Cloud pools name their resources `<cluster>-<pool>-...` as the cluster's own workers
    # are named `<cluster>-...`, so the full name obeys the cluster name's limit.
    max_len = (
        DNS_LABEL_MAX
        if bare_metal
        else int(platform.extra.get("cluster_name_max_length", DNS_LABEL_MAX))
    )
    seen: dict[str, int] = {}
    for i, pool in enumerate(pools):
        name = pool["name"]
        path: KeyPath = (POOLS_KEY, i, "name")
        if name in seen:
            raise doc.error(
                path, f"pool name {name!r} is used twice (also worker_pools.{seen[name]})"
            )
        seen[name] = i
        full = pool_module_name(cluster_name, name)
        if len(full) > max_len:
            room = max_len - len(cluster_name) - 1
            raise doc.error(
                path,
                f"pool {name!r} makes the name {full!r} ({len(full)} characters); on "
                f"{platform.name} <cluster_name>-<pool> must be at most {max_len} characters, "
                f"so at most {max(room, 0)} for the pool name",
            )
        if full == module_name:
            raise doc.error(path, f"module name {full!r} is the cluster module's `name`")


def _check_pool_values(
    doc: SourcedYAML,
    pool: dict[str, Any],
    index: int,
    platform: str,
    os_name: str,
    node_version: str,
) -> None:
    for key in IMAGE_VARIABLES:
        value = pool.get(key)
        if isinstance(value, str):
            problem = _image_problem(platform, os_name, key, value)
            if problem:
                raise doc.error((POOLS_KEY, index, key), problem)
    for i, label in enumerate(pool.get("node_labels") or ()):
        if not LABEL.match(label):
            raise doc.error(
                (POOLS_KEY, index, "node_labels", i),
                f"{label!r} is not a node label (key=value, e.g. pool=gpu)",
            )
    for i, taint in enumerate(pool.get("node_taints") or ()):
        if not TAINT.match(taint):
            raise doc.error(
                (POOLS_KEY, index, "node_taints", i),
                f"{taint!r} is not a node taint (key=value:Effect with Effect one of "
                "NoSchedule, PreferNoSchedule, NoExecute, e.g. gpu=true:NoSchedule)",
            )
    for i, text in enumerate(pool.get("snippets") or ()):
        problem = newer_snippet_problem(text, node_version, os_name, "the cluster config")
        if problem:
            raise doc.error((POOLS_KEY, index, "snippets", i), problem)


def _image_problem(platform: str, os_name: str, key: str, value: str) -> str | None:
    """Why `value` is not an image of `os_name`, or None (only what can be told offline)."""
    lowered = value.lower()
    for other, words in OS_WORDS.items():
        if other != os_name and any(w in lowered for w in words):
            return (
                f"{value!r} is a {OS_TITLES[other]} image; this cluster runs {OS_TITLES[os_name]}"
            )
    if platform == "azure" and key == "os_image":
        channels = ("flatcar-stable", "flatcar-beta", "flatcar-alpha")
        uploaded = value.startswith("/subscriptions/")
        if os_name == "fedora-coreos" and not uploaded:
            return "expected the ID of an uploaded Fedora CoreOS image (/subscriptions/...)"
        if os_name == "flatcar-linux" and not uploaded and value not in channels:
            return f"expected one of {', '.join(channels)} or an image ID (/subscriptions/...)"
    return None


def _check_machines(doc: SourcedYAML, cluster: dict[str, Any], pools: list[dict[str, Any]]) -> None:
    """Machine names and MACs are Matchbox group selectors: unique across the cluster."""
    names: dict[str, str] = {}
    macs: dict[str, str] = {}
    for role in ("controllers", "workers"):
        for j, machine in enumerate(cluster.get(role) or ()):
            names.setdefault(machine["name"], f"cluster.{role}.{j}")
            macs.setdefault(machine["mac"].lower(), f"cluster.{role}.{j}")
    for i, pool in enumerate(pools):
        for j, machine in enumerate(pool["machines"]):
            path: KeyPath = (POOLS_KEY, i, "machines", j)
            where = f"{POOLS_KEY}.{i}.machines.{j}"
            name, mac = machine["name"], machine["mac"]
            if not DNS_LABEL.match(name) or len(name) > DNS_LABEL_MAX:
                raise doc.error((*path, "name"), f"{name!r} must be a DNS label (a host name)")
            if not MAC.match(mac):
                raise doc.error((*path, "mac"), f"{mac!r} is not a MAC address (52:54:00:a1:9c:ae)")
            if name in names:
                raise doc.error((*path, "name"), f"machine {name!r} is also {names[name]}")
            if mac.lower() in macs:
                raise doc.error((*path, "mac"), f"MAC {mac} is also {macs[mac.lower()]}'s")
            names[name] = macs[mac.lower()] = where
