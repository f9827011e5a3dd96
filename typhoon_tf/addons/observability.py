"""Ingress and monitoring addons as plain manifests: nginx-ingress, prometheus, grafana.

They follow Typhoon's addons (`addons/nginx-ingress/<platform>`, `addons/prometheus`,
`addons/grafana`): the `ingress` and `monitoring` namespaces, the same object names, applied
with `kubectl apply -R -f DIR`. Each addon is a folder whose files apply in name order
(`0-namespace.yaml` first). Nothing in them depends on the cluster config: ports are the
ones every typhoon-tf cluster opens (`ports.py`), names resolve in the fixed cluster domain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import resources
from typing import Any, Final

import yaml

from typhoon_tf import jinja_env, versions
from typhoon_tf.addons import dashboards, ports, scrape

NAMES: Final = ("nginx-ingress", "prometheus", "grafana")
NAMESPACE_FILE: Final = "0-namespace.yaml"

INGRESS_CLASS: Final = "public"  # Typhoon's IngressClass name
CONTROLLER_CLASS: Final = "k8s.io/public"
ELECTION_ID: Final = "ingress-nginx-leader"
PROMETHEUS_RETENTION: Final = "15d"
GRAFANA_DASHBOARDS_DIR: Final = "/etc/grafana/dashboards"


def _template(addon: str, name: str, **context: object) -> str:
    path = resources.files(__package__).joinpath("templates", addon, f"{name}.yaml.j2")
    return jinja_env.STRINGS.from_string(path.read_text()).render(**context)


def _namespace(name: str) -> str:
    return (
        f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n    name: {name}\n"
    )


def _sha256(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _yaml(data: object) -> str:
    text: str = yaml.safe_dump(data, sort_keys=False, width=100)
    return text


def render_nginx_ingress() -> dict[str, str]:
    manifest = _template(
        "nginx-ingress",
        "nginx-ingress",
        namespace=ports.INGRESS_NAMESPACE,
        image=versions.INGRESS_NGINX_IMAGE,
        http_port=ports.INGRESS_HTTP_PORT,
        https_port=ports.INGRESS_HTTPS_PORT,
        health_port=ports.INGRESS_HEALTH_PORT,
        health_path=ports.INGRESS_HEALTH_PATH,
        ingress_class=INGRESS_CLASS,
        controller_class=CONTROLLER_CLASS,
        election_id=ELECTION_ID,
    )
    return {
        NAMESPACE_FILE: _namespace(ports.INGRESS_NAMESPACE),
        "nginx-ingress.yaml": manifest,
    }


def render_prometheus() -> dict[str, str]:
    config = scrape.prometheus_config_text()
    service = ports.PROMETHEUS_SERVICE
    prometheus = _template(
        "prometheus",
        "prometheus",
        namespace=service.namespace,
        image=versions.PROMETHEUS_IMAGE,
        config=config.rstrip("\n"),
        config_sha256=_sha256(config),
        retention=PROMETHEUS_RETENTION,
        port=ports.PROMETHEUS_PORT,
        service_name=service.name,
        service_port=service.port,
        service_host=service.host,
        service_port_suffix="" if service.port == 80 else f":{service.port}",
    )
    node_exporter = _template(
        "prometheus",
        "node-exporter",
        namespace=service.namespace,
        image=versions.NODE_EXPORTER_IMAGE,
        port=ports.NODE_EXPORTER_PORT,
    )
    return {
        NAMESPACE_FILE: _namespace(service.namespace),
        "node-exporter.yaml": node_exporter,
        "prometheus.yaml": prometheus,
    }


GRAFANA_INI: Final = f"""\
[server]
http_port = {ports.GRAFANA_PORT}

[paths]
data = /var/lib/grafana
plugins = /var/lib/grafana/plugins
provisioning = /etc/grafana/provisioning

[log]
mode = console

[users]
allow_sign_up = false
allow_org_create = false

[auth]
disable_login_form = true

[auth.basic]
enabled = false

[auth.anonymous]
enabled = true
org_role = Viewer

[analytics]
reporting_enabled = false
check_for_updates = false
check_for_plugin_updates = false

[news]
news_feed_enabled = false
"""


def grafana_datasources() -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "datasources": [
            {
                "name": "Prometheus",
                "type": "prometheus",
                "uid": dashboards.DATASOURCE_UID,
                "access": "proxy",
                "url": ports.PROMETHEUS_SERVICE.url,
                "isDefault": True,
                "editable": False,
            }
        ],
    }


def grafana_providers() -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "providers": [
            {
                "name": "typhoon-tf",
                "type": "file",
                "folder": "Kubernetes",
                "disableDeletion": True,
                "allowUiUpdates": False,
                "options": {"path": GRAFANA_DASHBOARDS_DIR},
            }
        ],
    }


def dashboard_configmaps() -> list[dict[str, str]]:
    """Name, file name and JSON of each dashboard's ConfigMap."""
    return [
        {
            "name": f"grafana-dashboard-{d.uid.removeprefix('typhoon-')}",
            "file": f"{d.uid}.json",
            "json": dashboards.dashboard_json(d).rstrip("\n"),
        }
        for d in dashboards.DASHBOARDS
    ]


def render_grafana() -> dict[str, str]:
    service = ports.GRAFANA_SERVICE
    datasources = _yaml(grafana_datasources())
    providers = _yaml(grafana_providers())
    configmaps = dashboard_configmaps()
    grafana = _template(
        "grafana",
        "grafana",
        namespace=service.namespace,
        image=versions.GRAFANA_IMAGE,
        ini=GRAFANA_INI.rstrip("\n"),
        datasources=datasources.rstrip("\n"),
        providers=providers.rstrip("\n"),
        config_sha256=_sha256(
            GRAFANA_INI, datasources, providers, *(c["json"] for c in configmaps)
        ),
        port=ports.GRAFANA_PORT,
        service_name=service.name,
        service_port=service.port,
        dashboards_dir=GRAFANA_DASHBOARDS_DIR,
        dashboard_configmaps=[c["name"] for c in configmaps],
    )
    dashboards_yaml = _template(
        "grafana", "dashboards", namespace=service.namespace, dashboards=configmaps
    )
    return {
        NAMESPACE_FILE: _namespace(service.namespace),
        "dashboards.yaml": dashboards_yaml,
        "grafana.yaml": grafana,
    }


RENDERERS: Final[dict[str, Callable[[], dict[str, str]]]] = {
    "nginx-ingress": render_nginx_ingress,
    "prometheus": render_prometheus,
    "grafana": render_grafana,
}


def render(name: str) -> dict[str, str]:
    """The addon's manifests and README, keyed by file name."""
    files = RENDERERS[name]()
    files["README.md"] = readme(name)
    return files


def readme(name: str) -> str:
    """The addon folder's README (also its page in the site's module reference)."""
    images = {
        "nginx-ingress": [versions.INGRESS_NGINX_IMAGE],
        "prometheus": [versions.PROMETHEUS_IMAGE, versions.NODE_EXPORTER_IMAGE],
        "grafana": [versions.GRAFANA_IMAGE],
    }[name]
    lines = [f"# {TITLES[name]}", "", *SUMMARIES[name], "", f"    kubectl apply -R -f {name}", ""]
    lines += ["Images: " + ", ".join(f"`{i}`" for i in images) + ".", ""]
    lines += [
        "Generated by typhoon-tf (`typhoon-tf manifests --addon "
        f"{name} -o DIR` writes the same files). See docs/addons/{name}.md.",
    ]
    return "\n".join(lines) + "\n"


TITLES: Final = {
    "nginx-ingress": "Nginx Ingress controller",
    "prometheus": "Prometheus",
    "grafana": "Grafana",
}
SUMMARIES: Final = {
    "nginx-ingress": [
        f"An Nginx Ingress controller on every worker (namespace `{ports.INGRESS_NAMESPACE}`,",
        f"IngressClass `{INGRESS_CLASS}`), on the workers' ports {ports.INGRESS_HTTP_PORT} and "
        f"{ports.INGRESS_HTTPS_PORT}; the",
        "platforms' workers load balancers health-check it on "
        f"{ports.INGRESS_HEALTH_PORT}{ports.INGRESS_HEALTH_PATH}.",
    ],
    "prometheus": [
        f"Prometheus (namespace `{ports.MONITORING_NAMESPACE}`, Service "
        f"`{ports.PROMETHEUS_SERVICE.host}`) scraping",
        "the apiservers, controller-managers, schedulers, etcd, kubelets (and cAdvisor),",
        "kube-proxy, annotated Services, and node-exporter, a DaemonSet on every node.",
    ],
    "grafana": [
        f"Grafana (namespace `{ports.MONITORING_NAMESPACE}`) with the Prometheus addon as its "
        "datasource",
        "and three dashboards (cluster, nodes, etcd); anonymous read-only access, no login.",
    ],
}
