"""Network facts the ingress and monitoring addons share with the nodes and platforms.

Every port here is one that a node template, a static pod or a platform firewall already
fixes; the addons read them from here so the scrape config, the Services and the probes
agree with what the clusters open (tests/test_addon_observability.py checks each against
its source: the static manifests, the etcd environment file and the platforms' rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from typhoon_tf import conventions


@dataclass(frozen=True)
class ServiceRef:
    """A Service a client reaches by its cluster DNS name."""

    name: str
    namespace: str
    port: int

    @property
    def host(self) -> str:
        return f"{self.name}.{self.namespace}.svc.{conventions.CLUSTER_DOMAIN}"

    @property
    def url(self) -> str:
        # Port 80 is the scheme's default: Typhoon's Grafana datasource URL has no port.
        suffix = "" if self.port == 80 else f":{self.port}"
        return f"http://{self.host}{suffix}"


# Namespaces as Typhoon's addons name them.
INGRESS_NAMESPACE: Final = "ingress"
MONITORING_NAMESPACE: Final = "monitoring"

# Nginx Ingress: the workers' load balancers (AWS target groups, GCP target pool, Azure
# probe, DigitalOcean firewall) send 80/443 to every worker and ask 10254/healthz.
INGRESS_HTTP_PORT: Final = 80
INGRESS_HTTPS_PORT: Final = 443
INGRESS_HEALTH_PORT: Final = 10254
INGRESS_HEALTH_PATH: Final = "/healthz"

# Control plane (static pods on controllers, host network). The controller-manager and
# scheduler set no --bind-address, so their secure ports listen on every address.
APISERVER_PORT: Final = 6443
CONTROLLER_MANAGER_PORT: Final = 10257
SCHEDULER_PORT: Final = 10259
# etcd.env: ETCD_LISTEN_METRICS_URLS=http://0.0.0.0:2381 (plain HTTP, metrics and health only).
ETCD_METRICS_PORT: Final = 2381

# Every node.
KUBELET_PORT: Final = 10250
KUBE_PROXY_METRICS_PORT: Final = 10249
NODE_EXPORTER_PORT: Final = 9100

PROMETHEUS_PORT: Final = 9090
PROMETHEUS_SERVICE: Final = ServiceRef("prometheus", MONITORING_NAMESPACE, 80)
GRAFANA_PORT: Final = 8080
GRAFANA_SERVICE: Final = ServiceRef("grafana", MONITORING_NAMESPACE, 80)
