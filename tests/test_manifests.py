"""`typhoon-tf manifests`: every manifest for each CNI validates, and the CNI config lands
in the directory containerd on both OSes reads (the test reads both sides)."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from typhoon_tf import versions
from typhoon_tf.cli import main
from typhoon_tf.ignition.dataurl import decode_data_url
from typhoon_tf.nodes import render

K8S = versions.KUBERNETES.lstrip("v").rsplit(".", 1)[0] + ".0"
NETWORKS = ("calico", "cilium", "flannel")

TERRAFORM = shutil.which("terraform") or shutil.which(
    "terraform", path=str(Path(sys.executable).parent)
)
pytestmark = pytest.mark.skipif(
    TERRAFORM is None, reason="manifests are rendered by terraform's templatefile(); no terraform"
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for network in NETWORKS:
        root = tmp_path_factory.mktemp(network) / "m"
        args = ["manifests", "--networking", network, "-o", str(root)]
        assert main([*args, "--binary", str(TERRAFORM)]) == 0
        out[network] = root
    return out


def documents(root: Path) -> list[tuple[str, dict[str, Any]]]:
    docs = []
    for path in sorted(root.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                docs.append((str(path.relative_to(root)), doc))
    return docs


@pytest.mark.parametrize("network", NETWORKS)
def test_every_manifest_validates_strictly(rendered: dict[str, Path], network: str) -> None:
    docs = documents(rendered[network])
    kinds = {doc["kind"] for _, doc in docs}
    assert {"Pod", "DaemonSet", "Deployment", "ConfigMap"} <= kinds
    for path, doc in docs:
        if doc["apiVersion"].startswith("crd.projectcalico.org/"):
            continue  # calico's own kinds (IPPool) have no schema in kubernetes-validate
        try:
            kubernetes_validate.validate(doc, K8S, strict=True)
        except kubernetes_validate.ValidationError as err:
            pytest.fail(f"{network}: {path}: {doc['kind']}: {err.message}")


def kube_proxy_present(root: Path) -> bool:
    return (root / "manifests" / "kube-proxy").is_dir()


def test_cilium_replaces_kube_proxy(rendered: dict[str, Path]) -> None:
    assert not kube_proxy_present(rendered["cilium"])
    assert kube_proxy_present(rendered["flannel"]) and kube_proxy_present(rendered["calico"])


def containerd_cni_dirs(os_name: str) -> tuple[str, str]:
    config = render("aws", os_name, "worker")
    for entry in config["storage"]["files"]:
        if entry["path"] == "/etc/containerd/config.toml":
            contents = entry["contents"]
            text = decode_data_url(contents["source"], contents.get("compression") or None)
            cni = tomllib.loads(text.decode())["plugins"]["io.containerd.grpc.v1.cri"]["cni"]
            return cni["conf_dir"], cni["bin_dir"]
    raise AssertionError(f"{os_name}: no containerd config")


def host_paths(root: Path) -> set[str]:
    paths = set()
    for _, doc in documents(root / "manifests" / "network"):
        if doc["kind"] == "DaemonSet":
            for volume in doc["spec"]["template"]["spec"].get("volumes", []):
                if "hostPath" in volume:
                    paths.add(volume["hostPath"]["path"])
    return paths


@pytest.mark.parametrize("os_name", ["fedora-coreos", "flatcar-linux"])
@pytest.mark.parametrize("network", NETWORKS)
def test_cni_config_goes_where_containerd_reads_it(
    rendered: dict[str, Path], os_name: str, network: str
) -> None:
    conf_dir, bin_dir = containerd_cni_dirs(os_name)
    paths = host_paths(rendered[network])
    assert conf_dir in paths, f"{network} DaemonSet mounts {sorted(paths)}"
    assert bin_dir in paths
    assert not any(re.fullmatch(r"/etc/cni/net\.d/?", p) for p in paths)
