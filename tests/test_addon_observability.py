"""Ingress and monitoring addons (nginx-ingress, prometheus, grafana): valid, deterministic,
and in agreement with what the nodes serve and the platforms open."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from typhoon_tf import conventions, versions
from typhoon_tf.addons import addons_tree, manifest_addon_names, observability, ports, scrape
from typhoon_tf.addons.dashboards import DASHBOARDS, DATASOURCE_UID
from typhoon_tf.cli import main
from typhoon_tf.cli.manifests_cmd import ADDONS

REPO = Path(__file__).parent.parent
PLATFORMS = REPO / "typhoon_tf" / "platforms"
BOOTSTRAP = REPO / "typhoon_tf" / "bootstrap" / "templates"
Doc = dict[str, Any]


def validation_version() -> str:
    """Newest bundled schema not newer than the Kubernetes we pin (as the bootstrap tests)."""
    pinned = tuple(int(p) for p in versions.KUBERNETES.lstrip("v").split(".")[:2])
    bundled: list[str] = [
        str(v)
        for v in kubernetes_validate.utils.all_versions()
        if tuple(int(p) for p in v.split(".")[:2]) <= pinned
    ]
    assert bundled, f"no kubernetes-validate schema <= {versions.KUBERNETES}"
    return max(bundled, key=lambda v: tuple(int(p) for p in v.split(".")))


def documents(name: str) -> list[Doc]:
    files = observability.render(name)
    return [
        doc
        for rel in sorted(files)
        if rel.endswith(".yaml")
        for doc in yaml.safe_load_all(files[rel])
        if doc
    ]


def find(name: str, kind: str, object_name: str | None = None) -> Doc:
    found = [
        d
        for d in documents(name)
        if d["kind"] == kind and object_name in (None, d["metadata"]["name"])
    ]
    assert len(found) == 1, (name, kind, object_name, len(found))
    return found[0]


def pod_spec(workload: Doc) -> Doc:
    spec: Doc = workload["spec"]["template"]["spec"]
    return spec


def scrape_jobs() -> dict[str, Doc]:
    config_map = find("prometheus", "ConfigMap", "prometheus-config")
    config = yaml.safe_load(config_map["data"]["prometheus.yaml"])
    return {job["job_name"]: job for job in config["scrape_configs"]}


# --- rendering ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", observability.NAMES)
def test_rendering_is_deterministic_and_committed(name: str) -> None:
    files = observability.render(name)
    assert files == observability.render(name)
    assert "kind: Namespace" in files["0-namespace.yaml"]
    assert min(f for f in files if f.endswith(".yaml")) == "0-namespace.yaml", (
        "kubectl apply -f DIR takes files in name order: the Namespace must come first"
    )
    committed = REPO / "modules" / "addons" / name
    assert {p.name: p.read_text() for p in committed.iterdir()} == files, (
        "regenerate with: .venv/bin/typhoon-tf modules"
    )


@pytest.mark.parametrize("name", observability.NAMES)
def test_every_document_validates_strictly(name: str) -> None:
    version = validation_version()
    docs = documents(name)
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)


def test_a_misspelt_field_fails_validation() -> None:
    daemonset = find("prometheus", "DaemonSet")
    pod_spec(daemonset)["containers"][0]["volumeMount"] = []
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(daemonset, validation_version(), strict=True)


def test_namespaces_are_typhoons() -> None:
    for name, namespace in {
        "nginx-ingress": "ingress",
        "prometheus": "monitoring",
        "grafana": "monitoring",
    }.items():
        docs = documents(name)
        assert docs[0] == {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": namespace, "labels": {"name": namespace}},
        }
        namespaced = [d for d in docs[1:] if d["kind"] not in CLUSTER_SCOPED]
        assert {d["metadata"]["namespace"] for d in namespaced} == {namespace}


CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "IngressClass"}


def test_images_come_from_versions() -> None:
    images = {
        c["image"]
        for name in observability.NAMES
        for d in documents(name)
        if d["kind"] in ("Deployment", "DaemonSet")
        for c in pod_spec(d)["containers"]
    }
    assert images == {
        versions.INGRESS_NGINX_IMAGE,
        versions.PROMETHEUS_IMAGE,
        versions.NODE_EXPORTER_IMAGE,
        versions.GRAFANA_IMAGE,
    }
    for image in images:
        assert re.fullmatch(r"[a-z0-9./-]+:v?\d+\.\d+\.\d+", image), image


# --- posture -----------------------------------------------------------------------------

# nginx writes its config and temporary files under / (as upstream runs it).
WRITABLE_ROOT = {"nginx-ingress-controller"}


@pytest.mark.parametrize("name", observability.NAMES)
def test_containers_are_non_root_with_requests(name: str) -> None:
    for workload in (d for d in documents(name) if d["kind"] in ("Deployment", "DaemonSet")):
        spec = pod_spec(workload)
        pod_security = spec.get("securityContext", {})
        assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}
        for container in spec["containers"]:
            security = {**pod_security, **container["securityContext"]}
            assert security["runAsNonRoot"] is True
            assert security["runAsUser"] != 0
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert set(security["capabilities"].get("add", [])) <= {"NET_BIND_SERVICE"}
            read_only = security["readOnlyRootFilesystem"]
            assert read_only is (container["name"] not in WRITABLE_ROOT), container["name"]
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert container["livenessProbe"]


def test_prometheus_rbac_is_read_only_and_minimal() -> None:
    role = find("prometheus", "ClusterRole")
    assert role["rules"] == [
        {
            "apiGroups": [""],
            "resources": ["nodes", "nodes/metrics", "services", "pods"],
            "verbs": ["get", "list", "watch"],
        },
        {
            "apiGroups": ["discovery.k8s.io"],
            "resources": ["endpointslices"],
            "verbs": ["get", "list", "watch"],
        },
        {"nonResourceURLs": ["/metrics"], "verbs": ["get"]},
    ]
    # Every discovery role the config uses is covered by the rules above.
    roles = {sd["role"] for job in scrape_jobs().values() for sd in job["kubernetes_sd_configs"]}
    assert roles == {"node", "pod", "endpointslice"}


def test_no_wildcards_in_any_rbac_rule() -> None:
    for name in observability.NAMES:
        for doc in documents(name):
            for rule in doc.get("rules", []):
                for values in rule.values():
                    assert "*" not in values, (name, doc["metadata"]["name"], rule)


def test_only_prometheus_and_ingress_get_api_tokens() -> None:
    exporter = pod_spec(find("prometheus", "DaemonSet", "node-exporter"))
    grafana = pod_spec(find("grafana", "Deployment", "grafana"))
    assert exporter["automountServiceAccountToken"] is False
    assert grafana["automountServiceAccountToken"] is False


# --- Prometheus --------------------------------------------------------------------------


def _address_port(job: Doc) -> int:
    """The port a node job's relabelling points targets at."""
    (rewrite,) = [r for r in job["relabel_configs"] if r.get("target_label") == "__address__"]
    assert rewrite["source_labels"] == ["__meta_kubernetes_node_address_InternalIP"]
    return int(rewrite["replacement"].removeprefix("${1}:"))


def _controllers_only(job: Doc) -> bool:
    return {
        "source_labels": [scrape.CONTROLLER_LABEL],
        "action": "keep",
        "regex": "true",
    } in job["relabel_configs"]


@pytest.mark.parametrize(
    ("job", "port", "scheme", "controllers"),
    [
        ("controller-manager", 10257, "https", True),
        ("scheduler", 10259, "https", True),
        ("etcd", 2381, "http", True),
        ("kubelet", 10250, "https", False),
        ("cadvisor", 10250, "https", False),
        ("node-exporter", 9100, "http", False),
    ],
)
def test_node_jobs_scrape_the_right_ports(
    job: str, port: int, scheme: str, controllers: bool
) -> None:
    config = scrape_jobs()[job]
    assert config["kubernetes_sd_configs"] == [{"role": "node"}]
    assert _address_port(config) == port
    assert config["scheme"] == scheme
    assert _controllers_only(config) is controllers
    if scheme == "https":
        assert config["authorization"]["credentials_file"] == f"{scrape.SA_DIR}/token"
    else:
        assert "authorization" not in config, "no token over plain HTTP"


def test_cadvisor_and_kubelet_paths() -> None:
    jobs = scrape_jobs()
    assert "metrics_path" not in jobs["kubelet"]
    assert jobs["cadvisor"]["metrics_path"] == "/metrics/cadvisor"


def test_apiserver_job_verifies_tls_against_a_certificate_name() -> None:
    job = scrape_jobs()["apiserver"]
    assert job["tls_config"] == {
        "ca_file": f"{scrape.SA_DIR}/ca.crt",
        "server_name": "kubernetes.default.svc",
    }
    tls_module = (REPO / "typhoon_tf" / "bootstrap" / "tls.py").read_text()
    assert '"kubernetes.default.svc",' in tls_module, "the apiserver certificate names it"
    assert job["relabel_configs"][0]["regex"] == "kubernetes;https"


def test_every_expected_job_and_a_valid_config() -> None:
    jobs = scrape_jobs()
    expected = {"apiserver", "controller-manager", "scheduler", "etcd", "kubelet", "cadvisor"}
    assert expected | {"node-exporter", "kube-proxy", "service-endpoints"} == set(jobs)
    for job in jobs.values():
        # Keys Prometheus's scrape_config accepts (it rejects unknown ones at start-up).
        assert set(job) <= {
            "job_name",
            "kubernetes_sd_configs",
            "scheme",
            "tls_config",
            "authorization",
            "metrics_path",
            "relabel_configs",
        }
        for rule in job["relabel_configs"]:
            assert set(rule) <= {"source_labels", "action", "regex", "target_label", "replacement"}
            re.compile(rule.get("regex", "(.*)"))
    assert "&" not in scrape.prometheus_config_text(), "no YAML anchors"


def test_ports_agree_with_the_nodes() -> None:
    # Terraform templates (not YAML until rendered): read as text.
    manifests = BOOTSTRAP / "static-manifests"
    for file, port in (
        ("kube-controller-manager.yaml", ports.CONTROLLER_MANAGER_PORT),
        ("kube-scheduler.yaml", ports.SCHEDULER_PORT),
    ):
        text = (manifests / file).read_text()
        assert re.findall(r"^ +port: (\d+)$", text, re.M) == [str(port)], file
        # No --bind-address: the secure port listens on the node's addresses, not loopback.
        assert "--bind-address" not in text and "--secure-port" not in text, file
    etcd_env = (REPO / "typhoon_tf" / "nodes" / "templates" / "files" / "etcd.env.j2").read_text()
    assert f"ETCD_LISTEN_METRICS_URLS=http://0.0.0.0:{ports.ETCD_METRICS_PORT}\n" in etcd_env
    kube_proxy = (BOOTSTRAP / "kube-proxy" / "daemonset.yaml").read_text()
    assert f"name: metrics\n              containerPort: {ports.KUBE_PROXY_METRICS_PORT}" in (
        kube_proxy
    )
    assert "--metrics-bind-address=0.0.0.0" in kube_proxy
    assert scrape_jobs()["kube-proxy"]["relabel_configs"][0]["regex"] == "kube-proxy;10249"


def test_platforms_open_the_metrics_ports_to_workers() -> None:
    """Prometheus runs on a worker: controllers must accept these ports from workers."""
    aws = (PLATFORMS / "aws" / "kubernetes" / "security.tf").read_text()
    controller_rules = aws[aws.index("controller_rules") : aws.index("worker_rules")]
    for port in (
        ports.ETCD_METRICS_PORT,
        ports.NODE_EXPORTER_PORT,
        ports.KUBE_PROXY_METRICS_PORT,
        ports.KUBELET_PORT,
        ports.CONTROLLER_MANAGER_PORT,
        ports.SCHEDULER_PORT,
    ):
        pattern = rf"from_port = {port}, to_port = {port}, source = \"worker\""
        assert re.search(pattern, controller_rules), port
    gcp = (PLATFORMS / "google-cloud" / "kubernetes" / "firewall.tf").read_text()
    digital_ocean = (PLATFORMS / "digital-ocean" / "kubernetes" / "firewall.tf").read_text()
    for opened in ("2381", "9100", "10249"):
        assert f'"{opened}"' in gcp and f'"{opened}"' in digital_ocean, opened
    azure = (PLATFORMS / "azure" / "kubernetes" / "security.tf.j2").read_text()
    for ports_field in ('"2381"', '"9100"', '"10249"', '"10257-10259"'):
        assert f'"ports": {ports_field}' in azure, ports_field


def test_config_hash_rolls_the_pod() -> None:
    config_map = find("prometheus", "ConfigMap", "prometheus-config")
    deployment = find("prometheus", "Deployment")
    annotation = deployment["spec"]["template"]["metadata"]["annotations"]
    text = config_map["data"]["prometheus.yaml"]
    assert (
        annotation["typhoon-tf/config-sha256"] == hashlib.sha256(text.encode() + b"\0").hexdigest()
    )


# --- Grafana -----------------------------------------------------------------------------


def test_datasource_url_is_the_prometheus_service() -> None:
    service = find("prometheus", "Service", "prometheus")
    port = service["spec"]["ports"][0]["port"]
    deployment = find("prometheus", "Deployment")
    container_port = pod_spec(deployment)["containers"][0]["ports"][0]["containerPort"]
    assert service["spec"]["ports"][0]["targetPort"] == container_port
    host = f"{service['metadata']['name']}.{service['metadata']['namespace']}.svc"
    expected = f"http://{host}.{conventions.CLUSTER_DOMAIN}" + ("" if port == 80 else f":{port}")
    provisioning = yaml.safe_load(
        find("grafana", "ConfigMap", "grafana-datasources")["data"]["prometheus.yaml"]
    )
    (datasource,) = provisioning["datasources"]
    assert datasource["url"] == expected == ports.PROMETHEUS_SERVICE.url
    assert datasource["uid"] == DATASOURCE_UID


def _dashboards() -> dict[str, Doc]:
    models = {}
    for doc in documents("grafana"):
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"].startswith("grafana-dashboard-"):
            ((file, text),) = doc["data"].items()
            models[file] = json.loads(text)
    return models


def test_dashboards_are_valid_and_mounted() -> None:
    models = _dashboards()
    assert sorted(models) == sorted(f"{d.uid}.json" for d in DASHBOARDS)
    assert len(models) == 3
    job_names = set(scrape_jobs())
    for file, model in models.items():
        assert file == f"{model['uid']}.json"
        ids = [p["id"] for p in model["panels"]]
        assert len(ids) == len(set(ids)) >= 4
        for panel in model["panels"]:
            grid = panel["gridPos"]
            assert grid["x"] + grid["w"] <= 24
            assert panel["datasource"]["uid"] == DATASOURCE_UID
            for target in panel["targets"]:
                used = set(re.findall(r'job="([^"]+)"', target["expr"]))
                assert used <= job_names, (file, target["expr"])
                assert target["expr"].count("(") == target["expr"].count(")")
    volume = next(v for v in pod_spec(find("grafana", "Deployment"))["volumes"] if "projected" in v)
    mounted = {s["configMap"]["name"] for s in volume["projected"]["sources"]}
    assert mounted == {
        d["metadata"]["name"]
        for d in documents("grafana")
        if d["metadata"]["name"].startswith("grafana-dashboard-")
    }


def test_grafana_provider_path_is_the_mount() -> None:
    providers = yaml.safe_load(
        find("grafana", "ConfigMap", "grafana-providers")["data"]["dashboards.yaml"]
    )
    container = pod_spec(find("grafana", "Deployment"))["containers"][0]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert providers["providers"][0]["options"]["path"] == mounts["dashboards"]
    ini = find("grafana", "ConfigMap", "grafana-config")["data"]["custom.ini"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["GF_PATHS_CONFIG"] == f"{mounts['config']}/custom.ini"
    assert f"http_port = {container['ports'][0]['containerPort']}" in ini
    assert "[auth.anonymous]\nenabled = true\norg_role = Viewer" in ini
    assert "password" not in ini, "no secret written"


# --- Nginx Ingress -----------------------------------------------------------------------


def _health_checks(text: str) -> set[tuple[int, str]]:
    pairs = re.findall(r'port\s*=\s*(\d+)\s*\n\s*(?:request_)?path\s*=\s*"([^"]+)"', text)
    return {(int(port), path) for port, path in pairs}


def test_ingress_ports_match_the_platforms() -> None:
    container = pod_spec(find("nginx-ingress", "DaemonSet"))["containers"][0]
    host_ports = {p["name"]: p["hostPort"] for p in container["ports"]}
    assert all(p["hostPort"] == p["containerPort"] for p in container["ports"])
    http, https, health = host_ports["http"], host_ports["https"], host_ports["health"]
    probe = container["readinessProbe"]["httpGet"]
    assert (probe["port"], probe["path"]) == (health, "/healthz")
    assert f"--healthz-port={health}" in container["args"]

    checks = {
        "aws": PLATFORMS / "aws" / "workers" / "target_groups.tf",
        "google-cloud": PLATFORMS / "google-cloud" / "kubernetes" / "ingress.tf",
        "google-cloud target pool": PLATFORMS / "google-cloud" / "workers" / "target_pool.tf",
        "azure": PLATFORMS / "azure" / "kubernetes" / "lb.tf",
    }
    for platform, path in checks.items():
        assert _health_checks(path.read_text()) == {(health, probe["path"])}, platform

    aws_groups = (PLATFORMS / "aws" / "workers" / "target_groups.tf").read_text()
    assert set(map(int, re.findall(r"^  port\s*=\s*(\d+)", aws_groups, re.M))) == {http, https}
    azure = (PLATFORMS / "azure" / "kubernetes" / "lb.tf").read_text()
    assert set(map(int, re.findall(r"frontend_port\s*=\s*(\d+)", azure))) == {
        http,
        https,
        ports.APISERVER_PORT,
    }
    aws = (PLATFORMS / "aws" / "kubernetes" / "security.tf").read_text()
    worker_rules = aws[aws.index("worker_rules") :]
    for port in (http, https, health):
        assert re.search(
            rf"from_port = {port}, to_port = {port}, source = \"internet", worker_rules
        )
    digital_ocean = (PLATFORMS / "digital-ocean" / "kubernetes" / "firewall.tf").read_text()
    for port in (http, https, health):
        assert f'port_range       = "{port}"' in digital_ocean, port


def test_ingress_class_and_metrics() -> None:
    ingress_class = find("nginx-ingress", "IngressClass")
    container = pod_spec(find("nginx-ingress", "DaemonSet"))["containers"][0]
    assert ingress_class["metadata"]["name"] == "public"
    assert f"--controller-class={ingress_class['spec']['controller']}" in container["args"]
    service = find("nginx-ingress", "Service")
    assert service["metadata"]["annotations"]["prometheus.io/port"] == "10254"
    role = find("nginx-ingress", "Role")
    election = next(a for a in container["args"] if a.startswith("--election-id="))
    lease_rule = next(r for r in role["rules"] if r.get("resourceNames"))
    assert lease_rule["resourceNames"] == [election.split("=", 1)[1]]


# --- CLI and the addons tree -------------------------------------------------------------


def test_cli_addon_choices_are_the_manifest_addons() -> None:
    assert manifest_addon_names() == ADDONS


def test_cli_writes_one_addon_without_terraform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # --addon needs no terraform
    out = tmp_path / "out"
    assert main(["manifests", "--addon", "grafana", "--addon", "prometheus", "-o", str(out)]) == 0
    written = {str(p.relative_to(out)): p.read_text() for p in out.rglob("*") if p.is_file()}
    expected = {
        f"{name}/{rel}": text
        for name in ("prometheus", "grafana")
        for rel, text in observability.render(name).items()
    }
    assert written == expected


def test_cli_rejects_an_unknown_addon(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["manifests", "--addon", "istio", "-o", str(tmp_path / "out")])
    assert exc.value.code == 2
    assert "invalid choice: 'istio'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_addons_tree_lists_them() -> None:
    tree = addons_tree()
    for name in observability.NAMES:
        assert f"[`{name}`]({name})" in tree["README.md"]
        assert tree[f"{name}/README.md"] == observability.readme(name)
