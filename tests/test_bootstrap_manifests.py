"""Every bootstrap template, rendered by Terraform's own `templatefile()`, is valid Kubernetes.

One `terraform apply` (no providers) renders all templates for several option sets; each
document is then checked with kubernetes-validate (strict) at the newest bundled Kubernetes
version not newer than the one we pin.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
import yaml

from typhoon_tf import conventions, versions
from typhoon_tf.bootstrap import bootstrap_module
from typhoon_tf.bootstrap.assets import TEMPLATE_VARS
from typhoon_tf.bootstrap.examples import example_template_values
from typhoon_tf.bootstrap.interface import CONTAINER_IMAGES, NETWORKS
from typhoon_tf.fsutil import write_tree_atomic
from typhoon_tf.hcl import Attribute, Block, Expr, render
from typhoon_tf.testing.terraform_bin import TerraformNotFound, find_terraform, terraform_env

kubernetes_validate = pytest.importorskip("kubernetes_validate")

FOLDERS = ("static-manifests", "manifests", "coredns", "kube-proxy", *NETWORKS)
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "calico_vxlan_options": {
        "network_encapsulation": "vxlan",
        "network_mtu": 9001,
        "enable_aggregation": False,
        "cloud_provider": "external",
        "daemonset_tolerations": ("gpu-role", "custom-role"),
        "etcd_servers": ("a.example.com", "b.example.com", "c.example.com"),
    },
}


def validation_version() -> str:
    """Newest bundled schema version <= our pinned Kubernetes minor."""
    pinned = tuple(int(p) for p in versions.KUBERNETES.lstrip("v").split(".")[:2])
    bundled = kubernetes_validate.utils.all_versions()
    candidates = [v for v in bundled if tuple(int(p) for p in v.split(".")[:2]) <= pinned]
    assert candidates, f"no kubernetes-validate schema <= {versions.KUBERNETES}"
    best: str = max(candidates, key=lambda v: tuple(int(p) for p in v.split(".")))
    return best


def scratch_config(variants: dict[str, dict[str, Any]]) -> str:
    blocks = []
    for name, options in variants.items():
        values = example_template_values(**options)
        template_sets = {
            folder: Expr(
                "{\n"
                f'  for f in fileset("${{path.module}}/bootstrap/resources/{folder}", "*.yaml") :\n'
                f'  f => templatefile("${{path.module}}/bootstrap/resources/{folder}/${{f}}", '
                f"local.{name})\n"
                "}"
            )
            for folder in FOLDERS
        }
        blocks.append(Block("locals", [], [Attribute(name, values)]))
        blocks.append(Block("output", [name], [Attribute("value", template_sets)]))
    kubeconfig_vars = {
        "name": "example",
        "server": "https://example.k8s.example.com:6443",
        "ca_cert": "Y2E=",
        "client_cert": "Y2VydA==",
        "client_key": "a2V5",
        "token_id": "abcdef",
        "token_secret": "0123456789abcdef",
    }
    for kind in ("admin", "bootstrap"):
        blocks.append(
            Block(
                "output",
                [f"kubeconfig_{kind}"],
                [
                    Attribute(
                        "value",
                        Expr(
                            f'templatefile("${{path.module}}/bootstrap/resources/'
                            f'kubeconfig-{kind}.yaml", local.kubeconfig_vars)'
                        ),
                    )
                ],
            )
        )
    blocks.append(Block("locals", [], [Attribute("kubeconfig_vars", kubeconfig_vars)]))
    return render(blocks)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    try:
        terraform = find_terraform()
    except TerraformNotFound as exc:
        pytest.skip(str(exc))
    root = tmp_path_factory.mktemp("render")
    write_tree_atomic(root / "bootstrap", bootstrap_module())
    (root / "main.tf").write_text(scratch_config(VARIANTS))
    (root / "cli.tfrc").write_text("")
    env = terraform_env(root / "cli.tfrc", root)
    for args in (["init", "-backend=false"], ["apply", "-auto-approve"]):
        subprocess.run(
            [str(terraform.path), *args, "-input=false", "-no-color"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    out = subprocess.run(
        [str(terraform.path), "output", "-json"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {name: value["value"] for name, value in json.loads(out).items()}


def documents(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def all_documents(rendered: dict[str, Any], variant: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{folder}/{name}", doc)
        for folder, files in rendered[variant].items()
        for name, text in files.items()
        for doc in documents(text)
    ]


def test_template_vars_match_the_examples() -> None:
    assert set(example_template_values()) == set(TEMPLATE_VARS)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_manifest_validates_strictly(rendered: dict[str, Any], variant: str) -> None:
    version = validation_version()
    docs = all_documents(rendered, variant)
    assert len(docs) > 60
    kinds_without_schema = []
    for path, doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            kinds_without_schema.append(doc["kind"])
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{variant} {path} {doc['kind']}/{doc['metadata']['name']}: {exc}")
    # Only custom resources (calico's IPPool and friends) lack a built-in schema.
    assert set(kinds_without_schema) <= {"IPPool", "FelixConfiguration"}


def hostpaths(docs: list[dict[str, Any]]) -> dict[str, str]:
    """Volume name -> hostPath path over every pod template in `docs`."""
    found = {}
    for doc in docs:
        spec = doc.get("spec", {})
        pod = spec.get("template", {}).get("spec", spec)
        for volume in pod.get("volumes", []) or []:
            if "hostPath" in volume:
                found[f"{doc['metadata']['name']}/{volume['name']}"] = volume["hostPath"]["path"]
    return found


def cni_conf_mounts(docs: list[dict[str, Any]]) -> list[str]:
    """Host directory behind every container mount of the in-container CNI conf dir."""
    found = []
    for doc in docs:
        pod = doc.get("spec", {}).get("template", {}).get("spec")
        if not pod:
            continue
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for container in pod.get("initContainers", []) + pod.get("containers", []):
            for mount in container.get("volumeMounts", []):
                if mount["mountPath"].rstrip("/") == "/host/etc/cni/net.d":
                    found.append(volumes[mount["name"]]["hostPath"]["path"])
            for env in container.get("env", []):
                if env["name"] == "CNI_NET_DIR":
                    found.append(env["value"])
    return found


@pytest.mark.parametrize("network", NETWORKS)
def test_cni_config_goes_to_the_conventional_directory(
    rendered: dict[str, Any], network: str
) -> None:
    docs = [doc for text in rendered["defaults"][network].values() for doc in documents(text)]
    mounts = cni_conf_mounts(docs)
    assert mounts, f"{network} writes no CNI config"
    assert set(mounts) == {conventions.CNI_CONF_DIR}
    assert conventions.CNI_BIN_DIR in set(hostpaths(docs).values())


def images_of(docs: list[tuple[str, dict[str, Any]]]) -> set[str]:
    images: set[str] = set()
    for _, doc in docs:
        spec = doc.get("spec", {})
        pod = spec.get("template", {}).get("spec", spec)
        for key in ("containers", "initContainers"):
            images.update(c["image"] for c in pod.get(key, []) or [])
    return images


def test_images_come_from_the_versions_file(rendered: dict[str, Any]) -> None:
    used = images_of(all_documents(rendered, "defaults"))
    assert used == set(CONTAINER_IMAGES.values())


def container_args(docs: list[tuple[str, dict[str, Any]]], name: str) -> list[str]:
    for _, doc in docs:
        if doc["kind"] == "Pod" and doc["metadata"]["name"] == name:
            container = doc["spec"]["containers"][0]
            return list(container.get("command", [])) + list(container.get("args", []))
    raise KeyError(name)


def test_options_reach_the_manifests(rendered: dict[str, Any]) -> None:
    default = all_documents(rendered, "defaults")
    custom = all_documents(rendered, "calico_vxlan_options")
    apiserver = container_args(default, "kube-apiserver")
    assert any(a.startswith("--requestheader-client-ca-file=") for a in apiserver)
    assert "--etcd-servers=https://example-etcd0.k8s.example.com:2379" in apiserver
    custom_apiserver = container_args(custom, "kube-apiserver")
    assert not any("aggregation" in a for a in custom_apiserver)
    assert (
        "--etcd-servers=" + ",".join(f"https://{h}.example.com:2379" for h in "abc")
        in custom_apiserver
    )
    assert "--cloud-provider=external" in container_args(custom, "kube-controller-manager")
    assert not any(
        a.startswith("--cloud-provider") for a in container_args(default, "kube-controller-manager")
    )
    for path, doc in custom:
        if doc["kind"] == "DaemonSet":
            keys = [t.get("key") for t in doc["spec"]["template"]["spec"].get("tolerations", [])]
            assert {"gpu-role", "custom-role"} <= set(keys), path
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "coredns":
            assert doc["spec"]["replicas"] == 3


def test_kubeconfigs_render(rendered: dict[str, Any]) -> None:
    admin = yaml.safe_load(rendered["kubeconfig_admin"])
    assert admin["current-context"] == "example"
    assert admin["users"][0]["user"]["client-key-data"] == "a2V5"
    bootstrap = yaml.safe_load(rendered["kubeconfig_bootstrap"])
    assert bootstrap["users"][0]["user"]["token"] == "abcdef.0123456789abcdef"
    assert "current-context" not in bootstrap


def test_validator_catches_a_broken_manifest(rendered: dict[str, Any]) -> None:
    """The oracle is not a rubber stamp: a misspelt field in a DaemonSet is rejected."""
    daemonset = documents(rendered["defaults"]["kube-proxy"]["daemonset.yaml"])[0]
    daemonset["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(daemonset, validation_version(), strict=True)
