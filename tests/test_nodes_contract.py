"""The OS contract (DESIGN §3, the seed's table), one test per row, on rendered configs."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from test_nodes_helpers import PLATFORMS, config_of, file_text, node_matrix, unit

from typhoon_tf import conventions, versions
from typhoon_tf.errors import UserError
from typhoon_tf.nodes import NodeOptions, render
from typhoon_tf.nodes.butane_doc import butane_document, resolve
from typhoon_tf.nodes.holes import HOLES, ValueHoles, example_values

FCOS, FLATCAR = "fedora-coreos", "flatcar-linux"
CONTAINER_UNITS = {
    "controller": ("kubelet.service", "etcd-member.service", "bootstrap.service"),
    "worker": ("kubelet.service",),
}


def _nodes(os_name: str) -> list[tuple[str, str, str]]:
    return [n for n in node_matrix() if n[1] == os_name]


def test_ignition_spec_versions() -> None:
    for platform, os_name, role in node_matrix():
        assert config_of(platform, os_name, role)["ignition"]["version"] == "3.3.0"
    assert config_of("aws", FLATCAR, "worker", "2.3.0")["ignition"]["version"] == "2.3.0"
    for version in ("3.4.0", "3.5.0"):
        assert config_of("aws", FCOS, "worker", version)["ignition"]["version"] == version
    with pytest.raises(UserError, match="3.3.0, 3.4.0, 3.5.0"):
        render("aws", FCOS, "worker", options=NodeOptions(ignition_version="2.3.0"))


@pytest.mark.parametrize(
    ("os_name", "header"),
    [(FLATCAR, "variant: flatcar\nversion: 1.0.0\n"), (FCOS, "variant: fcos\nversion: 1.4.0\n")],
)
def test_butane_variant(os_name: str, header: str) -> None:
    kind = resolve("aws", os_name, "controller", NodeOptions())
    assert butane_document(kind, ValueHoles(example_values(list(HOLES)))).startswith(header)


@pytest.mark.parametrize(
    ("os_name", "runner", "other"), [(FLATCAR, "docker", "podman"), (FCOS, "podman", "docker")]
)
def test_container_runner(os_name: str, runner: str, other: str) -> None:
    for platform, _, role in _nodes(os_name):
        config = config_of(platform, os_name, role)
        for name in CONTAINER_UNITS[role]:
            contents = unit(config, name)["contents"]
            assert f"/usr/bin/{runner} run" in contents, name
            assert other not in contents, name


@pytest.mark.parametrize(
    ("os_name", "agent", "env_file", "prefix"),
    [
        (FLATCAR, "coreos-metadata.service", "/run/metadata/coreos", "COREOS_"),
        (FCOS, "afterburn.service", "/run/metadata/afterburn", "AFTERBURN_"),
    ],
)
def test_metadata_agent(os_name: str, agent: str, env_file: str, prefix: str) -> None:
    for platform in ("aws", "digital-ocean"):
        kubelet = unit(config_of(platform, os_name, "worker"), "kubelet.service")["contents"]
        assert f"Requires={agent}" in kubelet
        assert f"EnvironmentFile={env_file}" in kubelet
        used = set(re.findall(r"\$\{([A-Z_0-9]+)\}", kubelet)) - {
            "KUBELET_IMAGE",
            "NODE_LABELS",
            "NODE_HOSTNAME",
        }
        assert used and all(v.startswith(prefix) for v in used)
    assert (
        "metadata"
        not in unit(config_of("google-cloud", os_name, "worker"), "kubelet.service")["contents"]
    )


def _cgroup_driver(os_name: str, options: NodeOptions) -> tuple[str, bool]:
    config = render("aws", os_name, "worker", options=options)
    kubelet = yaml.safe_load(file_text(config, conventions.KUBELET_CONFIG))
    containerd = tomllib.loads(file_text(config, conventions.CONTAINERD_CONFIG))
    runc = containerd["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]["runtimes"]["runc"]
    return kubelet["cgroupDriver"], runc["options"]["SystemdCgroup"]


def test_cgroup_driver() -> None:
    assert _cgroup_driver(FCOS, NodeOptions()) == ("systemd", True)
    assert _cgroup_driver(FLATCAR, NodeOptions()) == ("systemd", True)
    # Flatcar: configurable, the seed's cgroupfs keeps kubelet and containerd in step
    assert _cgroup_driver(FLATCAR, NodeOptions(cgroup_driver="cgroupfs")) == ("cgroupfs", False)
    with pytest.raises(UserError, match="cgroup driver"):
        render("aws", FCOS, "worker", options=NodeOptions(cgroup_driver="cgroupfs"))


@pytest.mark.parametrize(("os_name", "enforcing"), [(FLATCAR, False), (FCOS, True)])
def test_selinux(os_name: str, enforcing: bool) -> None:
    for platform, _, role in _nodes(os_name):
        config = config_of(platform, os_name, role)
        mounts = re.findall(r"-v (\S+)", unit(config, "kubelet.service")["contents"])
        relabeled = [m for m in mounts if re.search(r"[:,][zZ]$", m)]
        assert bool(relabeled) is enforcing
        containerd = tomllib.loads(file_text(config, conventions.CONTAINERD_CONFIG))
        assert containerd["plugins"]["io.containerd.grpc.v1.cri"]["enable_selinux"] is enforcing
        if role == "controller":
            assert ("chcon" in file_text(config, "/opt/bootstrap/layout")) is enforcing


def test_update_coordination() -> None:
    for platform, os_name, role in node_matrix():
        names = {u["name"]: u for u in config_of(platform, os_name, role)["systemd"]["units"]}
        if os_name == FLATCAR:
            assert names["locksmithd.service"].get("mask") is True
            assert "update-engine.service" not in names  # update_engine stays on
        else:
            assert "locksmithd.service" not in names
            assert "zincati.service" not in names
    fleetlock = render(
        "aws",
        FCOS,
        "worker",
        options=NodeOptions(fleetlock_url="http://10.3.0.15/", fleetlock_group="workers"),
    )
    zincati = tomllib.loads(file_text(fleetlock, "/etc/zincati/config.d/55-update-strategy.toml"))
    assert zincati == {
        "identity": {"group": "workers"},
        "updates": {"strategy": "fleet_lock", "fleet_lock": {"base_url": "http://10.3.0.15/"}},
    }
    with pytest.raises(KeyError):
        file_text(config_of("aws", FCOS, "worker"), "/etc/zincati/config.d/55-update-strategy.toml")
    with pytest.raises(UserError, match="FLUO"):
        render("aws", FLATCAR, "worker", options=NodeOptions(fleetlock_url="http://10.3.0.15/"))


def test_username() -> None:
    for platform in PLATFORMS:
        for os_name in (FCOS, FLATCAR):
            users = config_of(platform, os_name, "worker").get("passwd", {}).get("users", [])
            assert [u["name"] for u in users] == ([] if platform == "digital-ocean" else ["core"])


def test_conventional_directories_agree() -> None:
    for platform, os_name, role in node_matrix():
        config = config_of(platform, os_name, role)
        kubelet = yaml.safe_load(file_text(config, conventions.KUBELET_CONFIG))
        assert kubelet["staticPodPath"] == conventions.POD_MANIFEST_PATH
        assert kubelet["volumePluginDir"] == conventions.VOLUME_PLUGIN_DIR
        cni = tomllib.loads(file_text(config, conventions.CONTAINERD_CONFIG))["plugins"][
            "io.containerd.grpc.v1.cri"
        ]["cni"]
        assert (cni["conf_dir"], cni["bin_dir"]) == (
            conventions.CNI_CONF_DIR,
            conventions.CNI_BIN_DIR,
        )
        assert conventions.CNI_CONF_DIR == "/etc/kubernetes/cni/net.d"
        kubelet_unit = unit(config, "kubelet.service")["contents"]
        mkdir = next(
            line for line in kubelet_unit.splitlines() if line.startswith("ExecStartPre=/bin/mkdir")
        )
        assert set(mkdir.split()[2:]) == {
            conventions.CNI_CONF_DIR,
            conventions.POD_MANIFEST_PATH,
            conventions.CNI_BIN_DIR,
            conventions.VOLUME_PLUGIN_DIR,
        }
        assert f"Environment=KUBELET_IMAGE={versions.KUBELET_IMAGE}" in kubelet_unit


def test_flatcar_containerd_reads_our_config() -> None:
    """Flatcar's containerd unit reads /usr/share/...; the drop-in points it at ours."""
    dropins = unit(config_of("aws", FLATCAR, "worker"), "containerd.service")["dropins"]
    assert (
        f"Environment=CONTAINERD_CONFIG={conventions.CONTAINERD_CONFIG}" in dropins[0]["contents"]
    )
    assert "dropins" not in unit(config_of("aws", FCOS, "worker"), "containerd.service")
