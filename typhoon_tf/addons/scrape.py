"""Prometheus's configuration for a typhoon-tf cluster: what to scrape and how.

Targets are found through the Kubernetes API (`kubernetes_sd_configs`), so the config names
no address: controllers are the nodes labelled `node.kubernetes.io/controller=true` (the
kubelet registers them so), every port comes from `ports.py`.

TLS, target by target:
* apiserver: verified against the cluster CA. Discovery yields the controllers' IPs, which
  the serving certificate does not name, so the check uses a name it does carry
  (`server_name`) instead of switching verification off as Typhoon's config does.
* kubelet, controller-manager, scheduler: their serving certificates are self-signed at
  start-up (no CA to verify against), so verification is off; the bearer token is still
  checked by them through TokenReview and authorised through SubjectAccessReview
  (`nodes/metrics` for kubelets, the `/metrics` URL for the others).
* etcd: its metrics listener is plain HTTP on 2381 (no client certificates needed); the
  platforms open 2381 on controllers to workers only, where Prometheus runs.
"""

from __future__ import annotations

from typing import Any, Final

import yaml

from typhoon_tf.addons import ports

SA_DIR: Final = "/var/run/secrets/kubernetes.io/serviceaccount"
CONTROLLER_LABEL: Final = "__meta_kubernetes_node_label_node_kubernetes_io_controller"
# A name on the apiserver certificate (typhoon_tf/bootstrap/tls.py): the in-cluster one.
APISERVER_SERVER_NAME: Final = "kubernetes.default.svc"
SCRAPE_INTERVAL: Final = "30s"

Job = dict[str, Any]


def _token_auth(*, verify: bool) -> dict[str, Any]:
    tls: dict[str, Any] = {"ca_file": f"{SA_DIR}/ca.crt"}
    if not verify:
        tls = {"insecure_skip_verify": True}
    return {
        "scheme": "https",
        "tls_config": tls,
        "authorization": {"credentials_file": f"{SA_DIR}/token"},
    }


def _node_port(port: int) -> list[dict[str, Any]]:
    """Relabelling that points a node target at `port` on its InternalIP, named by node."""
    return [
        {
            "source_labels": ["__meta_kubernetes_node_address_InternalIP"],
            "target_label": "__address__",
            "replacement": f"${{1}}:{port}",
        },
        {"source_labels": ["__meta_kubernetes_node_name"], "target_label": "node"},
    ]


def _controllers_only() -> dict[str, Any]:
    return {"source_labels": [CONTROLLER_LABEL], "action": "keep", "regex": "true"}


def _node_job(name: str, port: int, *, controllers: bool, **settings: Any) -> Job:
    relabel = ([_controllers_only()] if controllers else []) + _node_port(port)
    return {
        "job_name": name,
        "kubernetes_sd_configs": [{"role": "node"}],
        **settings,
        "relabel_configs": relabel,
    }


def _apiserver_job() -> Job:
    auth = _token_auth(verify=True)
    auth["tls_config"]["server_name"] = APISERVER_SERVER_NAME
    return {
        "job_name": "apiserver",
        # The `kubernetes` Service's endpoints are the apiservers (6443 on each controller).
        "kubernetes_sd_configs": [{"role": "endpointslice", "namespaces": {"names": ["default"]}}],
        **auth,
        "relabel_configs": [
            {
                "source_labels": [
                    "__meta_kubernetes_service_name",
                    "__meta_kubernetes_endpointslice_port_name",
                ],
                "action": "keep",
                "regex": "kubernetes;https",
            }
        ],
    }


def _kube_proxy_job() -> Job:
    """kube-proxy pods (none with Cilium, which replaces it: then no targets, not down ones)."""
    return {
        "job_name": "kube-proxy",
        "kubernetes_sd_configs": [{"role": "pod", "namespaces": {"names": ["kube-system"]}}],
        "relabel_configs": [
            {
                "source_labels": [
                    "__meta_kubernetes_pod_label_k8s_app",
                    "__meta_kubernetes_pod_container_port_number",
                ],
                "action": "keep",
                "regex": f"kube-proxy;{ports.KUBE_PROXY_METRICS_PORT}",
            },
            {"source_labels": ["__meta_kubernetes_pod_node_name"], "target_label": "node"},
        ],
    }


def _annotated_services_job() -> Job:
    """Services that ask to be scraped (`prometheus.io/scrape: "true"`, optional
    `prometheus.io/port` and `prometheus.io/path`): CoreDNS, Nginx Ingress, Prometheus, apps."""
    annotation = "__meta_kubernetes_service_annotation_prometheus_io_"
    return {
        "job_name": "service-endpoints",
        "kubernetes_sd_configs": [{"role": "endpointslice"}],
        "relabel_configs": [
            {"source_labels": [f"{annotation}scrape"], "action": "keep", "regex": "true"},
            {
                "source_labels": [f"{annotation}path"],
                "regex": "(.+)",
                "target_label": "__metrics_path__",
            },
            {
                "source_labels": ["__address__", f"{annotation}port"],
                "regex": r"(.+?)(?::\d+)?;(\d+)",
                "replacement": "${1}:${2}",
                "target_label": "__address__",
            },
            {"source_labels": ["__meta_kubernetes_namespace"], "target_label": "namespace"},
            {"source_labels": ["__meta_kubernetes_service_name"], "target_label": "service"},
            {"source_labels": ["__meta_kubernetes_pod_node_name"], "target_label": "node"},
        ],
    }


def scrape_jobs() -> list[Job]:
    # A fresh dict per job: a shared one would be dumped as a YAML anchor and alias.
    def token() -> dict[str, Any]:
        return _token_auth(verify=False)

    return [
        _apiserver_job(),
        _node_job("controller-manager", ports.CONTROLLER_MANAGER_PORT, controllers=True, **token()),
        _node_job("scheduler", ports.SCHEDULER_PORT, controllers=True, **token()),
        _node_job("etcd", ports.ETCD_METRICS_PORT, controllers=True, scheme="http"),
        _node_job("kubelet", ports.KUBELET_PORT, controllers=False, **token()),
        _node_job(
            "cadvisor",
            ports.KUBELET_PORT,
            controllers=False,
            metrics_path="/metrics/cadvisor",
            **token(),
        ),
        _node_job("node-exporter", ports.NODE_EXPORTER_PORT, controllers=False, scheme="http"),
        _kube_proxy_job(),
        _annotated_services_job(),
    ]


def prometheus_config() -> dict[str, Any]:
    return {
        "global": {"scrape_interval": SCRAPE_INTERVAL, "evaluation_interval": SCRAPE_INTERVAL},
        "scrape_configs": scrape_jobs(),
    }


def prometheus_config_text() -> str:
    """The config as `prometheus.yaml` (stable key order, for byte-identical output)."""
    text: str = yaml.safe_dump(prometheus_config(), sort_keys=False, width=100)
    return text
