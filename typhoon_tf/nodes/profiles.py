"""Operating-system profiles: everything that differs between Fedora CoreOS and Flatcar.

The node templates never test an OS name. They ask the profile: how to run a system
container (`runner`), which SELinux relabel suffix a mount needs, which metadata agent and
variable names to use, which units to mask or enable, how the containerd configuration is
wired in, and which Butane variant/version produces the wanted Ignition spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from typhoon_tf import conventions

Relabel = Literal["private", "shared", "none"]


@dataclass(frozen=True)
class ContainerRunner:
    """How a system container (kubelet, etcd, bootstrap) is started by a systemd unit."""

    name: str
    binary: str
    # Units the runner needs (docker's daemon); empty for daemonless podman.
    requires: tuple[str, ...]
    # Extra `run` flags every long-running container gets (podman: k8s-file logs, #1221).
    run_flags: tuple[str, ...]
    # docker cannot be the unit's main process without losing the container on daemon
    # restarts (moby#6791), so it starts detached and the unit follows `docker logs -f`.
    detached: bool
    # systemd Type= of a long-running container service.
    service_type: str

    def service_lines(self, name: str, args: Sequence[str]) -> list[str]:
        """Exec*= lines of a long-running service running container `name` with `args`."""
        remove = f"ExecStartPre=-{self.binary} rm -f {name}"
        run_args = [*self.run_flags, *args]
        if self.detached:
            return [
                remove,
                _continued(f"ExecStartPre={self.binary} run -d --name {name}", run_args),
                f"ExecStart={self.binary} logs -f {name}",
                f"ExecStop={self.binary} stop {name}",
                f"ExecStopPost=-{self.binary} rm -f {name}",
            ]
        return [
            remove,
            _continued(f"ExecStart={self.binary} run --name {name}", run_args),
            f"ExecStop=-{self.binary} stop {name}",
        ]

    def oneshot_line(self, name: str, args: Sequence[str]) -> str:
        """ExecStart= line of a oneshot service running container `name` to completion."""
        return _continued(f"ExecStart={self.binary} run --rm --name {name}", list(args))


def _continued(head: str, args: Sequence[str]) -> str:
    """One command spread over lines with systemd's backslash continuation, for review."""
    return " \\\n  ".join([head, *args])


@dataclass(frozen=True)
class MetadataAgent:
    """The first-boot agent that writes cloud metadata as an environment file."""

    unit: str
    env_file: str
    # Our attribute name -> the agent's variable name.
    variables: dict[str, str]

    def ref(self, attribute: str) -> str:
        """A systemd `${VAR}` reference to a metadata attribute."""
        return "${" + self.variables[attribute] + "}"


@dataclass(frozen=True)
class OSProfile:
    name: str
    butane_variant: str
    # Ignition spec version -> Butane version of `butane_variant` that emits it (or, for a
    # spec-2 target, the Butane version whose 3.x output is down-converted).
    butane_versions: dict[str, str]
    default_ignition_version: str
    runner: ContainerRunner
    metadata: MetadataAgent
    selinux_enforcing: bool
    cgroup_drivers: tuple[str, ...]
    default_cgroup_driver: str
    # Units to mask (the OS service we replace or must keep quiet).
    masked_units: tuple[str, ...]
    # Units to enable that the OS does not enable on its own.
    enabled_units: tuple[str, ...]
    # Enable containerd.service explicitly (Flatcar starts it through docker).
    containerd_enable: bool
    # A drop-in pointing the OS's containerd unit at our config, when it does not read
    # /etc/containerd/config.toml by default.
    containerd_dropin: str | None
    # Owner (uid:gid) of etcd's data and TLS, or None for root in the container.
    etcd_user: str | None
    # Shell lines ending /opt/bootstrap/layout (SELinux labels or etcd data permissions).
    layout_finish: tuple[str, ...]
    # Extra kubelet mounts the OS needs (SELinux state on Fedora CoreOS).
    extra_kubelet_mounts: tuple[tuple[str, str, str, Relabel], ...] = field(default=())
    update_agent: str = ""
    fleetlock_capable: bool = False

    def mount(
        self, host: str, container: str | None = None, opts: str = "", relabel: Relabel = "none"
    ) -> str:
        """A `-v` flag, with the SELinux relabel suffix when SELinux is enforcing."""
        suffix = (
            {"private": "Z", "shared": "z", "none": ""}[relabel] if self.selinux_enforcing else ""
        )
        options = ",".join(o for o in (opts, suffix) if o)
        target = container or host
        return f"-v {host}:{target}" + (f":{options}" if options else "")


FEDORA_COREOS = OSProfile(
    name="fedora-coreos",
    butane_variant="fcos",
    butane_versions={"3.3.0": "1.4.0", "3.4.0": "1.5.0", "3.5.0": "1.6.0"},
    default_ignition_version="3.3.0",
    runner=ContainerRunner(
        name="podman",
        binary="/usr/bin/podman",
        requires=(),
        run_flags=("--log-driver k8s-file",),
        detached=False,
        service_type="exec",
    ),
    metadata=MetadataAgent(
        unit="afterburn.service",
        env_file="/run/metadata/afterburn",
        variables={
            "aws_zone": "AFTERBURN_AWS_AVAILABILITY_ZONE",
            "aws_instance_id": "AFTERBURN_AWS_INSTANCE_ID",
            "do_private_ipv4": "AFTERBURN_DIGITALOCEAN_IPV4_PRIVATE_0",
        },
    ),
    selinux_enforcing=True,
    cgroup_drivers=("systemd",),
    default_cgroup_driver="systemd",
    # The kubelet talks to containerd directly; Moby's daemon is not needed (#1105).
    masked_units=("docker.service",),
    enabled_units=(),
    containerd_enable=True,
    containerd_dropin=None,
    etcd_user=None,
    layout_finish=(f"chcon -R -u system_u -t container_file_t {conventions.PKI_DIR}",),
    extra_kubelet_mounts=(
        ("/etc/selinux", "/etc/selinux", "", "none"),
        ("/sys/fs/selinux", "/sys/fs/selinux", "", "none"),
        ("/var/run/lock", "/var/run/lock", "", "shared"),
    ),
    update_agent="zincati",
    fleetlock_capable=True,
)

FLATCAR_LINUX = OSProfile(
    name="flatcar-linux",
    butane_variant="flatcar",
    butane_versions={"2.3.0": "1.0.0", "3.3.0": "1.0.0", "3.4.0": "1.1.0"},
    default_ignition_version="3.3.0",
    runner=ContainerRunner(
        name="docker",
        binary="/usr/bin/docker",
        requires=("docker.service",),
        run_flags=(),
        detached=True,
        service_type="simple",
    ),
    metadata=MetadataAgent(
        unit="coreos-metadata.service",
        env_file="/run/metadata/coreos",
        variables={
            "aws_zone": "COREOS_EC2_AVAILABILITY_ZONE",
            "aws_instance_id": "COREOS_EC2_INSTANCE_ID",
            "do_private_ipv4": "COREOS_DIGITALOCEAN_IPV4_PRIVATE_0",
        },
    ),
    selinux_enforcing=False,
    # Seed table: configurable, systemd by default (the seed itself used cgroupfs).
    cgroup_drivers=("systemd", "cgroupfs"),
    default_cgroup_driver="systemd",
    # update_engine stays on; FLUO coordinates reboots instead of locksmithd.
    masked_units=("locksmithd.service",),
    enabled_units=("docker.service",),
    containerd_enable=False,
    containerd_dropin=(
        "[Service]\n"
        "# Read our configuration instead of the one shipped in /usr\n"
        f"Environment=CONTAINERD_CONFIG={conventions.CONTAINERD_CONFIG}\n"
    ),
    # The etcd user of Flatcar images.
    etcd_user="232:232",
    layout_finish=(f"chmod -R 700 {conventions.ETCD_DATA_DIR}",),
    update_agent="update_engine",
    fleetlock_capable=False,
)

OS_PROFILES: dict[str, OSProfile] = {p.name: p for p in (FEDORA_COREOS, FLATCAR_LINUX)}
