"""Mixed clusters: nodes we roll share one CNI config directory with Typhoon's DaemonSets.

After a Typhoon user switches `source`, the CNI DaemonSet Typhoon deployed (config in
hostPath /etc/cni/net.d) keeps running, and new nodes come from our node configs, whose
containerd reads the seed's /etc/kubernetes/cni/net.d. The node config links one to the
other. This lays each node config out with the real Ignition binary and checks, inside that
root, that the hostPath of Typhoon's CNI DaemonSets (vendored excerpts in
tests/data/typhoon-cni/), the hostPath of our own CNI manifests and containerd's `conf_dir`
are one directory.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from test_nodes_helpers import (
    config_of,
    ignition_apply,
    node_id,
    node_matrix,
    require_tool,
    scratch_dir,
)

from typhoon_tf import conventions
from typhoon_tf.bootstrap.assets import DIRECTORIES
from typhoon_tf.nodes import NodeOptions, render

NODES = list(node_matrix())
TYPHOON_MANIFESTS = Path(__file__).parent / "data" / "typhoon-cni"
OUR_TEMPLATES = Path(__file__).parents[1] / "typhoon_tf" / "bootstrap" / "templates"


def resolve_in_root(root: Path, path: str) -> PurePosixPath:
    """`path` as seen from inside `root` with every symlink followed (absolute link targets
    are relative to `root`, as for a process chrooted there). Returns the path in the root."""
    parts = list(PurePosixPath(path).parts[1:])
    resolved = PurePosixPath("/")
    hops = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            resolved = resolved.parent
            continue
        candidate = resolved / part
        host = root / str(candidate).lstrip("/")
        if host.is_symlink():
            hops += 1
            assert hops < 40, f"symlink loop at {candidate}"
            target = PurePosixPath(os.readlink(host))
            if target.is_absolute():
                resolved = PurePosixPath("/")
                parts = list(target.parts[1:]) + parts
            else:
                parts = list(target.parts) + parts
            continue
        resolved = candidate
    return resolved


def _typhoon_cni_host_paths() -> dict[str, str]:
    """DaemonSet name -> hostPath of the volume its containers mount at /host/etc/cni/net.d."""
    found: dict[str, str] = {}
    for manifest in sorted(TYPHOON_MANIFESTS.glob("*.yaml")):
        doc: dict[str, Any] = yaml.safe_load(manifest.read_text())
        spec = doc["spec"]["template"]["spec"]
        containers = spec.get("initContainers", []) + spec.get("containers", [])
        mounted = {
            m["name"]
            for c in containers
            for m in c.get("volumeMounts", [])
            if m["mountPath"].rstrip("/") == "/host/etc/cni/net.d"
        }
        paths = [v["hostPath"]["path"] for v in spec["volumes"] if v["name"] in mounted]
        assert len(paths) == 1, manifest.name
        found[doc["metadata"]["name"]] = paths[0]
    return found


_OUR_VOLUME = re.compile(r"- name: cni-conf-dir\n\s+hostPath:\n(?:\s+type: \S+\n)?\s+path: (\S+)")


def _our_cni_host_paths() -> dict[str, str]:
    """CNI -> hostPath of the cni-conf-dir volume in our bootstrap DaemonSet templates."""
    found: dict[str, str] = {}
    for template in sorted(OUR_TEMPLATES.glob("*/daemonset.yaml")):
        match = _OUR_VOLUME.search(template.read_text())
        if match:
            found[template.parent.name] = match.group(1).replace(
                "${cni_conf_dir}", DIRECTORIES["cni_conf_dir"]
            )
    return found


def _containerd_conf_dir(root: Path) -> str:
    config = tomllib.loads((root / conventions.CONTAINERD_CONFIG.lstrip("/")).read_text())
    conf_dir: str = config["plugins"]["io.containerd.grpc.v1.cri"]["cni"]["conf_dir"]
    return conf_dir


def test_vendored_typhoon_manifests_use_etc_cni() -> None:
    assert _typhoon_cni_host_paths() == {
        "cilium": conventions.TYPHOON_CNI_CONF_DIR,
        "flannel": conventions.TYPHOON_CNI_CONF_DIR,
    }
    assert set(_our_cni_host_paths()) == {"calico", "cilium", "flannel"}


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_typhoon_and_our_cni_dirs_are_one_directory(platform: str, os_name: str, role: str) -> None:
    require_tool("/usr/lib/dracut/modules.d/30ignition/ignition")
    config = config_of(platform, os_name, role, "3.3.0")
    with scratch_dir() as scratch:
        root = ignition_apply(config, scratch)
        conf_dir = _containerd_conf_dir(root)
        where = resolve_in_root(root, conf_dir)
        assert (root / str(where).lstrip("/")).is_dir(), f"{conf_dir} is not a directory"
        for name, host_path in {**_typhoon_cni_host_paths(), **_our_cni_host_paths()}.items():
            assert resolve_in_root(root, host_path) == where, f"{name}: {host_path}"
        # The other name is a link laid out by Ignition, not a second directory.
        assert (root / conventions.TYPHOON_CNI_CONF_DIR.lstrip("/")).is_symlink()


def test_link_replaces_a_directory_the_image_ships() -> None:
    """An OS image with its own /etc/cni/net.d (e.g. a podman bridge config) still ends up
    with the link: Ignition removes what was there (`overwrite: true`)."""
    require_tool("/usr/lib/dracut/modules.d/30ignition/ignition")
    config = render("bare-metal", "fedora-coreos", "worker", options=NodeOptions("3.3.0"))
    with scratch_dir() as scratch:
        shipped = scratch / "root" / conventions.TYPHOON_CNI_CONF_DIR.lstrip("/")
        shipped.mkdir(parents=True)
        (shipped / "87-podman-bridge.conflist").write_text("{}\n")
        root = ignition_apply(config, scratch)
        link = root / conventions.TYPHOON_CNI_CONF_DIR.lstrip("/")
        assert link.is_symlink()
        assert os.readlink(link) == conventions.CNI_CONF_DIR
        assert not (
            root / conventions.CNI_CONF_DIR.lstrip("/") / "87-podman-bridge.conflist"
        ).exists()


def test_resolver_follows_absolute_and_relative_links(tmp_path: Path) -> None:
    (tmp_path / "a/b").mkdir(parents=True)
    (tmp_path / "x").mkdir()
    (tmp_path / "x/abs").symlink_to("/a/b")
    (tmp_path / "x/rel").symlink_to("../a")
    assert resolve_in_root(tmp_path, "/x/abs") == PurePosixPath("/a/b")
    assert resolve_in_root(tmp_path, "/x/rel/b") == PurePosixPath("/a/b")
    assert resolve_in_root(tmp_path, "/a/b") == PurePosixPath("/a/b")
