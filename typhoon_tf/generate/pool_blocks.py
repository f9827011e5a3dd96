"""The root module's worker-pool blocks: one module block per `worker_pools:` entry.

Each block is labelled `<cluster_name>-<pool>` (Typhoon's docs and users' trees name pool
blocks so, e.g. `module "nova-pool"`), so its address is keyed by the pool's name and
never by its position: adding, removing or reordering pools leaves the others' addresses
(and their plan) alone. Cloud pools call `kubernetes/workers`; a bare-metal pool calls the
per-machine `kubernetes/worker` module with `for_each` over its machines, keyed by
machine name (`module.mercury-gpu["node5"]`).

The wiring comes from the platform description (`workers.pool` in platform.yaml): cluster
outputs (kubeconfig, subnets, security groups, ...) and the cluster's own values
(ssh_authorized_key, service_cidr, ...).
"""

from __future__ import annotations

from typing import Any

from typhoon_tf import hcl
from typhoon_tf.config import ClusterConfig
from typhoon_tf.config.model import WorkerPool
from typhoon_tf.config.pools import pool_module_name
from typhoon_tf.platforms import Interface, PoolWiring, Variable, load_platform

POOLS_OUTPUT = "worker_pools"


def pool_blocks(config: ClusterConfig, source: str) -> list[hcl.BodyItem]:
    """One module block per pool of `config` (in config order); `source` is the cluster
    module's path, the pool modules are beside it."""
    if not config.worker_pools:
        return []
    workers = _workers(config)
    items: list[hcl.BodyItem] = []
    for pool in config.worker_pools:
        items.append(_pool_block(config, workers, pool, source))
    return items


def pools_output(config: ClusterConfig) -> hcl.Block | None:
    """`output "worker_pools"`: per pool, its cloud-side name and the workers module's
    outputs (target groups, instance group, scale set), for load balancers and DNS."""
    if not config.worker_pools:
        return None
    workers = _workers(config)
    value: dict[str, Any] = {}
    for pool in config.worker_pools:
        label = pool_module_name(config.variables["cluster_name"], pool.name)
        if workers.pool is not None and workers.pool.machine:
            value[pool.name] = {"machines": hcl.Expr(f"keys(module.{label})")}
            continue
        entry: dict[str, Any] = {"name": label}
        entry.update({o.name: hcl.Expr(f"module.{label}.{o.name}") for o in workers.outputs})
        value[pool.name] = entry
    body: list[hcl.BodyItem] = [
        hcl.Attribute("description", "Worker pools by name: cloud-side name and module outputs"),
        hcl.Attribute("value", value),
    ]
    return hcl.Block("output", [POOLS_OUTPUT], body)


def _workers(config: ClusterConfig) -> Interface:
    workers = load_platform(config.platform).workers
    if workers is None or workers.pool is None:
        raise AssertionError(f"{config.platform} has no worker-pool wiring; the loader refuses")
    return workers


def _pool_block(
    config: ClusterConfig, workers: Interface, pool: WorkerPool, source: str
) -> hcl.Block:
    wiring = workers.pool
    assert wiring is not None  # _workers checked it
    label = pool_module_name(config.variables["cluster_name"], pool.name)
    module_dir = "worker" if wiring.machine else "workers"
    variables = workers.variables_for(config.os)
    head: list[hcl.BodyItem] = [hcl.Attribute("source", f"{source}/{module_dir}")]
    if wiring.machine:
        head.append(hcl.Attribute("for_each", _machines_map(pool, wiring)))
    body: list[hcl.BodyItem] = [*head, hcl.Blank(), hcl.Comment("cluster")]
    body += _wiring_attributes(config, variables, wiring)
    body += [hcl.Blank(), hcl.Comment("pool")]
    body += _pool_attributes(config, variables, wiring, pool, label)
    return hcl.Block("module", [label], body)


def _machines_map(pool: WorkerPool, wiring: PoolWiring) -> dict[str, Any]:
    # Keyed by machine name: a machine's address never depends on its place in the list.
    others = [name for name in wiring.machine if name != "name"]
    return {m.name: {k: getattr(m, k) for k in others} for m in pool.machines}


def _wiring_attributes(
    config: ClusterConfig, variables: list[Variable], wiring: PoolWiring
) -> list[hcl.BodyItem]:
    """Cluster outputs and the cluster's own values, in the module's variable order."""
    attributes: list[hcl.BodyItem] = []
    for var in variables:
        if var.name in wiring.outputs:
            expr = f"module.{config.name}.{wiring.outputs[var.name]}"
            attributes.append(hcl.Attribute(var.name, hcl.Expr(expr)))
        elif var.name in wiring.cluster:
            value = _cluster_value(config, var)
            if value is not None:
                attributes.append(hcl.Attribute(var.name, value))
    return attributes


def _pool_attributes(
    config: ClusterConfig,
    variables: list[Variable],
    wiring: PoolWiring,
    pool: WorkerPool,
    label: str,
) -> list[hcl.BodyItem]:
    attributes: list[hcl.BodyItem] = []
    for var in variables:
        if var.name == "name":
            name = hcl.Expr("each.key") if wiring.machine else label
            attributes.append(hcl.Attribute("name", name))
        elif var.name in wiring.machine:
            attributes.append(hcl.Attribute(var.name, hcl.Expr(f"each.value.{var.name}")))
        elif var.name in pool.variables and pool.variables[var.name] is not None:
            attributes.append(hcl.Attribute(var.name, pool.variables[var.name]))
        elif var.name in wiring.inherit:
            value = _cluster_value(config, var)
            if value is not None:
                attributes.append(hcl.Attribute(var.name, value))
    return attributes


def _cluster_value(config: ClusterConfig, var: Variable) -> Any:
    """The cluster's value of `var`: what the config sets; else the cluster module's default
    when the pool module would not default to the same (or has no default); else None
    (the pool module's default applies, and the block stays short)."""
    if config.variables.get(var.name) is not None:
        return config.variables[var.name]
    cluster_vars = load_platform(config.platform).variables_for(config.os)
    cluster_var = next((v for v in cluster_vars if v.name == var.name), None)
    if cluster_var is None:
        return None
    if var.required or cluster_var.default != var.default:
        return cluster_var.default
    return None
