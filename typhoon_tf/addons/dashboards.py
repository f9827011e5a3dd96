"""Grafana dashboards shipped with the grafana addon: cluster overview, nodes, etcd.

Small on purpose: each panel is one PromQL query over the jobs `scrape.py` defines (the job
names in the queries are checked against the scrape config by the tests). Dashboards are
written as Grafana's JSON model (schemaVersion 39, read by Grafana 10 to 12) with panels of
the two core types, `stat` and `timeseries`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

DATASOURCE_UID: Final = "prometheus"  # the provisioned datasource's uid (grafana addon)
DATASOURCE: Final = {"type": "prometheus", "uid": DATASOURCE_UID}
SCHEMA_VERSION: Final = 39
GRID_WIDTH: Final = 24  # Grafana's grid is 24 columns wide


@dataclass(frozen=True)
class Panel:
    title: str
    expr: str
    unit: str = "short"
    legend: str = ""
    kind: str = "timeseries"  # or "stat"

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in grid units: four stats or two graphs to a row."""
        return (6, 4) if self.kind == "stat" else (12, 8)


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    panels: tuple[Panel, ...]
    node_variable: bool = False  # a `node` drop-down (queries filter on node=~"$node")


def _layout(panels: tuple[Panel, ...]) -> list[dict[str, int]]:
    """Grid positions filling rows left to right."""
    x = y = row_height = 0
    positions = []
    for panel in panels:
        w, h = panel.size
        if x + w > GRID_WIDTH:
            x, y, row_height = 0, y + row_height, 0
        positions.append({"h": h, "w": w, "x": x, "y": y})
        x, row_height = x + w, max(row_height, h)
    return positions


def _panel(panel_id: int, panel: Panel, grid_pos: dict[str, int]) -> dict[str, Any]:
    return {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "gridPos": grid_pos,
        "datasource": dict(DATASOURCE),
        "fieldConfig": {"defaults": {"unit": panel.unit}, "overrides": []},
        "options": {},
        "targets": [
            {
                "refId": "A",
                "datasource": dict(DATASOURCE),
                "expr": panel.expr,
                "legendFormat": panel.legend or "__auto",
            }
        ],
    }


def _node_variable() -> dict[str, Any]:
    return {
        "name": "node",
        "label": "Node",
        "type": "query",
        "datasource": dict(DATASOURCE),
        "query": {"query": 'label_values(up{job="node-exporter"}, node)', "refId": "nodes"},
        "definition": 'label_values(up{job="node-exporter"}, node)',
        "includeAll": True,
        "multi": True,
        "refresh": 2,
        "sort": 1,
        "current": {},
        "options": [],
    }


def dashboard_model(dashboard: Dashboard) -> dict[str, Any]:
    positions = _layout(dashboard.panels)
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "tags": ["kubernetes", "typhoon-tf"],
        "editable": True,
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "timezone": "browser",
        "annotations": {"list": []},
        "templating": {"list": [_node_variable()] if dashboard.node_variable else []},
        "panels": [
            _panel(i, p, pos)
            for i, (p, pos) in enumerate(zip(dashboard.panels, positions, strict=True), 1)
        ],
    }


NOT_POD_DEVICES: Final = "lo|veth.*|cali.*|cilium.*|lxc.*|flannel.*|vxlan.*|tunl.*"
ON_NODE: Final = 'node=~"$node"'

CLUSTER = Dashboard(
    uid="typhoon-cluster",
    title="Kubernetes / Cluster",
    panels=(
        Panel("Nodes (kubelets up)", 'sum(up{job="kubelet"})', kind="stat"),
        Panel("Running pods", "sum(kubelet_running_pods)", kind="stat"),
        Panel("Apiservers up", 'sum(up{job="apiserver"})', kind="stat"),
        Panel("Targets down", "count(up == 0) or vector(0)", kind="stat"),
        Panel(
            "CPU by namespace",
            'sum by (namespace) (rate(container_cpu_usage_seconds_total{job="cadvisor",'
            ' container!=""}[5m]))',
            legend="{{namespace}}",
        ),
        Panel(
            "Memory (working set) by namespace",
            'sum by (namespace) (container_memory_working_set_bytes{job="cadvisor",'
            ' container!=""})',
            unit="bytes",
            legend="{{namespace}}",
        ),
        Panel(
            "API requests by code",
            'sum by (code) (rate(apiserver_request_total{job="apiserver"}[5m]))',
            unit="reqps",
            legend="{{code}}",
        ),
        Panel(
            "Scheduling attempts by result",
            'sum by (result) (rate(scheduler_schedule_attempts_total{job="scheduler"}[5m]))',
            unit="ops",
            legend="{{result}}",
        ),
    ),
)

NODES = Dashboard(
    uid="typhoon-nodes",
    title="Kubernetes / Nodes",
    node_variable=True,
    panels=(
        Panel(
            "CPU busy",
            "1 - avg by (node) (rate(node_cpu_seconds_total"
            f'{{job="node-exporter", mode="idle", {ON_NODE}}}[5m]))',
            unit="percentunit",
            legend="{{node}}",
        ),
        Panel(
            "Memory used",
            f'1 - node_memory_MemAvailable_bytes{{job="node-exporter", {ON_NODE}}}'
            f' / node_memory_MemTotal_bytes{{job="node-exporter", {ON_NODE}}}',
            unit="percentunit",
            legend="{{node}}",
        ),
        Panel(
            "Load (1m)",
            f'node_load1{{job="node-exporter", {ON_NODE}}}',
            legend="{{node}}",
        ),
        Panel(
            "Fullest filesystem",
            "max by (node) (1 - node_filesystem_avail_bytes"
            f'{{job="node-exporter", fstype=~"ext4|xfs|btrfs", {ON_NODE}}}'
            " / node_filesystem_size_bytes"
            f'{{job="node-exporter", fstype=~"ext4|xfs|btrfs", {ON_NODE}}})',
            unit="percentunit",
            legend="{{node}}",
        ),
        Panel(
            "Network received (host interfaces)",
            "sum by (node) (rate(node_network_receive_bytes_total"
            f'{{job="node-exporter", device!~"{NOT_POD_DEVICES}", {ON_NODE}}}[5m]))',
            unit="Bps",
            legend="{{node}}",
        ),
        Panel(
            "Network sent (host interfaces)",
            "sum by (node) (rate(node_network_transmit_bytes_total"
            f'{{job="node-exporter", device!~"{NOT_POD_DEVICES}", {ON_NODE}}}[5m]))',
            unit="Bps",
            legend="{{node}}",
        ),
    ),
)

ETCD = Dashboard(
    uid="typhoon-etcd",
    title="Kubernetes / etcd",
    panels=(
        Panel("Members up", 'sum(up{job="etcd"})', kind="stat"),
        Panel("Members with a leader", 'sum(etcd_server_has_leader{job="etcd"})', kind="stat"),
        Panel(
            "Leader changes (1h)",
            'max(increase(etcd_server_leader_changes_seen_total{job="etcd"}[1h]))',
            kind="stat",
        ),
        Panel(
            "Failed proposals (5m)",
            'sum(increase(etcd_server_proposals_failed_total{job="etcd"}[5m]))',
            kind="stat",
        ),
        Panel(
            "Database size",
            'etcd_mvcc_db_total_size_in_bytes{job="etcd"}',
            unit="bytes",
            legend="{{node}}",
        ),
        Panel(
            "WAL fsync p99",
            "histogram_quantile(0.99, sum by (node, le) "
            '(rate(etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd"}[5m])))',
            unit="s",
            legend="{{node}}",
        ),
        Panel(
            "Backend commit p99",
            "histogram_quantile(0.99, sum by (node, le) "
            '(rate(etcd_disk_backend_commit_duration_seconds_bucket{job="etcd"}[5m])))',
            unit="s",
            legend="{{node}}",
        ),
        Panel(
            "Client traffic in",
            'sum by (node) (rate(etcd_network_client_grpc_received_bytes_total{job="etcd"}[5m]))',
            unit="Bps",
            legend="{{node}}",
        ),
    ),
)

DASHBOARDS: Final = (CLUSTER, NODES, ETCD)


def dashboard_json(dashboard: Dashboard) -> str:
    """Stable text (sorted keys), so regenerating never changes a ConfigMap needlessly."""
    return json.dumps(dashboard_model(dashboard), indent=2, sort_keys=True) + "\n"
