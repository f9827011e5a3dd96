"""Example values for the bootstrap templates (for previews and tests, never for clusters).

The keys are exactly those of `assets.TEMPLATE_VARS`; the values are what the module would
compute for a small example cluster with the given options.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from typhoon_tf.bootstrap.assets import CALICO_OVERHEAD, DIRECTORIES
from typhoon_tf.bootstrap.interface import CONTAINER_IMAGES

EXAMPLE_API_SERVER = "example.k8s.example.com"
EXAMPLE_ETCD_SERVERS = ("example-etcd0.k8s.example.com",)


def example_template_values(
    *,
    networking: str = "cilium",
    pod_cidr: str = "10.20.0.0/14",
    service_cidr: str = "10.3.0.0/16",
    etcd_servers: tuple[str, ...] = EXAMPLE_ETCD_SERVERS,
    enable_aggregation: bool = True,
    cloud_provider: str | None = None,
    daemonset_tolerations: tuple[str, ...] = (),
    network_mtu: int = 1500,
    network_encapsulation: str = "ipip",
) -> dict[str, Any]:
    del networking  # every template gets the same variables; kept for call-site clarity
    services = ipaddress.ip_network(service_cidr)
    port = 6443
    return {
        "cluster_name": "example",
        "server": f"https://{EXAMPLE_API_SERVER}:{port}",
        "apiserver_host": EXAMPLE_API_SERVER,
        "apiserver_port": port,
        "pod_cidr": pod_cidr,
        "service_cidr": service_cidr,
        "cluster_domain_suffix": "cluster.local",
        "cluster_dns_service_ip": str(services[10]),
        "etcd_servers": ",".join(f"https://{s}:2379" for s in etcd_servers),
        "control_plane_replicas": max(2, len(etcd_servers)),
        "enable_aggregation": enable_aggregation,
        "cloud_provider": cloud_provider or "",
        "service_account_issuer": "https://kubernetes.default.svc.cluster.local",
        "daemonset_tolerations": list(daemonset_tolerations),
        "images": dict(CONTAINER_IMAGES),
        "token_id": "abcdef",
        "token_secret": "0123456789abcdef",
        "network_mtu": network_mtu,
        "calico_encapsulation": network_encapsulation,
        "calico_mtu": network_mtu - CALICO_OVERHEAD[network_encapsulation],
        **DIRECTORIES,
    }
