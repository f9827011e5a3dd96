"""Per-platform differences in node content (research/typhoon.md §2.4, §1.6).

A delta says *what* a platform needs (a provider ID built from metadata, a hostname
override, the kubeconfig arriving over SSH, ...); the OS profile says *how* (which metadata
agent and variable names).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HostnameSource = Literal["none", "metadata", "domain_name"]


@dataclass(frozen=True)
class PlatformDelta:
    name: str
    # DigitalOcean and bare-metal keep cluster credentials out of user data: Terraform
    # copies the kubeconfig over SSH and a path unit starts the kubelet when it lands.
    kubeconfig_via_ssh: bool
    # "aws:///${zone}/${instance}" with metadata attribute names, or None.
    provider_id: str | None
    hostname_source: HostnameSource
    # Whether the node's kubelet takes `--cloud-provider` (Typhoon's cloud_provider).
    cloud_provider: bool
    # Whether Ignition installs the SSH key (DigitalOcean uses droplet ssh_keys instead).
    ssh_key: bool
    # Whether workers take user node labels and taints.
    worker_labels_and_taints: bool
    # Write /etc/hostname from the machine's domain name (bare-metal/PXE).
    hostname_file: bool
    # Wait for the cloud to assign a real hostname before the kubelet registers.
    wait_for_hostname: bool
    arches: tuple[str, ...]

    @property
    def needs_metadata(self) -> bool:
        return self.provider_id is not None or self.hostname_source == "metadata"


PLATFORM_DELTAS: dict[str, PlatformDelta] = {
    d.name: d
    for d in (
        PlatformDelta(
            name="aws",
            kubeconfig_via_ssh=False,
            provider_id="aws:///{aws_zone}/{aws_instance_id}",
            hostname_source="none",
            cloud_provider=True,
            ssh_key=True,
            worker_labels_and_taints=True,
            hostname_file=False,
            wait_for_hostname=True,
            arches=("amd64", "arm64"),
        ),
        PlatformDelta(
            name="google-cloud",
            kubeconfig_via_ssh=False,
            provider_id=None,
            hostname_source="none",
            cloud_provider=True,
            ssh_key=True,
            worker_labels_and_taints=True,
            hostname_file=False,
            wait_for_hostname=False,
            arches=("amd64",),
        ),
        PlatformDelta(
            name="azure",
            kubeconfig_via_ssh=False,
            provider_id=None,
            hostname_source="none",
            cloud_provider=True,
            ssh_key=True,
            worker_labels_and_taints=True,
            hostname_file=False,
            wait_for_hostname=False,
            arches=("amd64", "arm64"),
        ),
        PlatformDelta(
            name="bare-metal",
            kubeconfig_via_ssh=True,
            provider_id=None,
            hostname_source="domain_name",
            cloud_provider=False,
            ssh_key=True,
            worker_labels_and_taints=True,
            hostname_file=True,
            wait_for_hostname=False,
            arches=("amd64",),
        ),
        PlatformDelta(
            name="digital-ocean",
            kubeconfig_via_ssh=True,
            provider_id=None,
            hostname_source="metadata",
            cloud_provider=True,
            ssh_key=False,
            worker_labels_and_taints=True,
            hostname_file=False,
            wait_for_hostname=False,
            arches=("amd64",),
        ),
    )
}
