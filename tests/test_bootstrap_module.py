"""The generated bootstrap module: fmt-clean, deterministic, and correct under Terraform.

The apply tests run the module through the offline harness (`typhoon_tf.testing`): real
Terraform, tls/random served by providers that create real keys and certificates, so the
certificates and kubeconfigs in `assets_dist` can be inspected like a real cluster's.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from uninstallable import NO_MODERN_TERRAFORM

from typhoon_tf.bootstrap import bootstrap_module, write_bootstrap_module
from typhoon_tf.bootstrap.interface import OUTPUTS, VARIABLES
from typhoon_tf.hcl import Attribute, Block, Expr, render
from typhoon_tf.testing.harness import Result, verify_module
from typhoon_tf.testing.terraform_bin import available_terraforms, module_terraforms, terraform_env

x509 = pytest.importorskip("cryptography.x509")

BASE_VARIABLES = {
    "cluster_name": "example",
    "api_servers": ["example.k8s.example.com"],
    "etcd_servers": ["example-etcd0.k8s.example.com", "example-etcd1.k8s.example.com"],
}


def test_generation_is_deterministic() -> None:
    assert bootstrap_module() == bootstrap_module()


def test_module_layout() -> None:
    files = bootstrap_module()
    for name in ("versions.tf", "variables.tf", "outputs.tf", "README.md", "manifests.tf"):
        assert name in files
    assert any(path.startswith("resources/calico/") for path in files)
    # Only hashicorp/tls and hashicorp/random: no template provider, no custom provider.
    providers = set(re.findall(r'source\s*=\s*"([^"]+)"', files["versions.tf"]))
    assert providers == {"hashicorp/tls", "hashicorp/random"}
    assert "templatefile(" in files["manifests.tf"]


def test_readme_lists_every_variable_and_output() -> None:
    readme = bootstrap_module()["README.md"]
    names = [v.name for v in VARIABLES] + [o.name for o in OUTPUTS]
    for name in names:
        assert f"| `{name}` |" in readme


def test_write_bootstrap_module(tmp_path: Path) -> None:
    write_bootstrap_module(tmp_path / "bootstrap")
    written = {
        str(p.relative_to(tmp_path / "bootstrap")): p.read_text()
        for p in (tmp_path / "bootstrap").rglob("*")
        if p.is_file()
    }
    assert written == bootstrap_module()


@pytest.mark.skipif(not available_terraforms(), reason="no terraform binary on this machine")
def test_module_is_fmt_clean(tmp_path: Path) -> None:
    write_bootstrap_module(tmp_path / "bootstrap")
    (tmp_path / "cli.tfrc").write_text("")
    for terraform in available_terraforms():
        proc = subprocess.run(
            [str(terraform.path), "fmt", "-check", "-diff", "-recursive", "-no-color"],
            cwd=tmp_path / "bootstrap",
            env=terraform_env(tmp_path / "cli.tfrc", tmp_path),
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, f"{terraform.version}: {proc.stdout}{proc.stderr}"


# --- apply through the offline harness --------------------------------------------------


def apply_module(tmp_path: Path, variables: dict[str, Any]) -> Result:
    if not available_terraforms():
        pytest.skip("no terraform binary on this machine")
    module = tmp_path / "bootstrap"
    write_bootstrap_module(module)
    return verify_module(module, {**BASE_VARIABLES, **variables}, workdir=tmp_path / "work")


def validate_manifests(assets: dict[str, str]) -> int:
    """kubernetes-validate (strict) over every YAML document in `assets_dist`."""
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    # Same version choice as the template tests (sibling test module, on sys.path).
    from test_bootstrap_manifests import validation_version

    version = validation_version()
    count = 0
    for path, text in assets.items():
        if not path.endswith(".yaml"):
            continue
        for doc in yaml.safe_load_all(text):
            if doc is None:
                continue
            count += 1
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.SchemaNotFoundError:
                assert doc["apiVersion"].startswith("crd.projectcalico.org/"), path
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(f"{path}: {exc}")
    return count


def certificate(pem: str) -> Any:
    return x509.load_pem_x509_certificate(pem.encode())


def sans(cert: Any) -> tuple[set[str], set[str]]:
    ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return (
        set(ext.get_values_for_type(x509.DNSName)),
        {str(ip) for ip in ext.get_values_for_type(x509.IPAddress)},
    )


@pytest.mark.slow
def test_apply_cilium_defaults(tmp_path: Path) -> None:
    result = apply_module(tmp_path, {"certificate_validity_hours": 48})
    assets: dict[str, str] = result.output("assets_dist")

    expected = {
        "auth/admin.conf",
        "auth/controller-manager.conf",
        "auth/scheduler.conf",
        "tls/k8s/ca.crt",
        "tls/k8s/ca.key",
        "tls/k8s/apiserver.crt",
        "tls/k8s/apiserver.key",
        "tls/k8s/service-account.pub",
        "tls/k8s/service-account.key",
        "tls/k8s/aggregation-ca.crt",
        "tls/k8s/aggregation-client.crt",
        "tls/k8s/aggregation-client.key",
        "tls/etcd/etcd-client-ca.crt",
        "tls/etcd/etcd-client.crt",
        "tls/etcd/etcd-client.key",
        "tls/etcd/server-ca.crt",
        "tls/etcd/server.crt",
        "tls/etcd/server.key",
        "tls/etcd/peer-ca.crt",
        "tls/etcd/peer.crt",
        "tls/etcd/peer.key",
        "static-manifests/kube-apiserver.yaml",
        "static-manifests/kube-controller-manager.yaml",
        "static-manifests/kube-scheduler.yaml",
    }
    assert expected <= set(assets)
    assert any(k.startswith("manifests/coredns/") for k in assets)
    assert any(k.startswith("manifests/network/") for k in assets)
    assert "manifests/network/daemonset.yaml" in assets
    assert "cilium-agent" in assets["manifests/network/daemonset.yaml"]
    # Cilium replaces kube-proxy.
    assert not any(k.startswith("manifests/kube-proxy/") for k in assets)

    apiserver = certificate(assets["tls/k8s/apiserver.crt"])
    dns, ips = sans(apiserver)
    assert {"example.k8s.example.com", "kubernetes.default.svc.cluster.local"} <= dns
    assert ips == {"10.3.0.1"}
    lifetime = apiserver.not_valid_after_utc - apiserver.not_valid_before_utc
    assert lifetime == datetime.timedelta(hours=48)

    etcd_dns, etcd_ips = sans(certificate(assets["tls/etcd/server.crt"]))
    assert etcd_dns == {*BASE_VARIABLES["etcd_servers"], "localhost"}
    assert etcd_ips == {"127.0.0.1"}

    admin = yaml.safe_load(result.output("kubeconfig-admin"))
    assert admin["clusters"][0]["cluster"]["server"] == "https://example.k8s.example.com:6443"
    kubelet = yaml.safe_load(result.output("kubeconfig-kubelet"))
    token = kubelet["users"][0]["user"]["token"]
    assert re.fullmatch(r"[a-z0-9]{6}\.[a-z0-9]{16}", token)
    token_secret = yaml.safe_load(assets["manifests/bootstrap-token.yaml"])
    assert token_secret["stringData"]["token-id"] == token.split(".")[0]
    assert result.output("cluster_dns_service_ip") == "10.3.0.10"
    assert result.output("server") == "https://example.k8s.example.com:6443"
    assert validate_manifests(assets) > 20


@pytest.mark.slow
def test_apply_calico_without_aggregation_or_coredns(tmp_path: Path) -> None:
    result = apply_module(
        tmp_path,
        {
            "networking": "calico",
            "network_encapsulation": "vxlan",
            "network_mtu": 9001,
            "enable_aggregation": False,
            "components": {"coredns": {"enable": False}},
        },
    )
    assets: dict[str, str] = result.output("assets_dist")
    assert not any("aggregation" in k for k in assets)
    assert not any(k.startswith("manifests/coredns/") for k in assets)
    assert any(k.startswith("manifests/kube-proxy/") for k in assets)
    config = yaml.safe_load(assets["manifests/network/config.yaml"])
    assert config["data"]["veth_mtu"] == "8951"
    assert config["data"]["calico_backend"] == "vxlan"
    assert validate_manifests(assets) > 40
    assert not result.resources("tls_self_signed_cert") or all(
        "aggregation" not in r["address"] for r in result.resources("tls_self_signed_cert")
    )


@pytest.mark.slow
def test_plans_with_the_oldest_supported_terraform(tmp_path: Path) -> None:
    """The module targets Terraform >= TERRAFORM_FLOOR: plan with the oldest binary here that
    meets it (this machine kind has only 1.0.3, too old, and 1.11.4)."""
    old = sorted(module_terraforms(), key=lambda tf: tf.version_tuple)
    if not old:
        pytest.skip(NO_MODERN_TERRAFORM)
    module = tmp_path / "bootstrap"
    write_bootstrap_module(module)
    result = verify_module(
        module,
        {**BASE_VARIABLES, "networking": "flannel"},
        workdir=tmp_path / "work",
        terraform=old[0],
        apply=False,
    )
    assert result.validate["valid"]
    assert "tls_locally_signed_cert.apiserver" in result.planned_changes()


# --- `components` semantics, evaluated by Terraform without providers -----------------------

COMPONENT_CASES: list[tuple[str, Any, dict[str, bool]]] = [
    ("cilium", None, {"coredns": True, "kube_proxy": False, "cni": True}),
    ("flannel", None, {"coredns": True, "kube_proxy": True, "cni": True}),
    ("calico", {}, {"coredns": True, "kube_proxy": True, "cni": True}),
    ("calico", {"enable": False}, {"coredns": False, "kube_proxy": False, "cni": False}),
    (
        "flannel",
        {"coredns": {"enable": False}},
        {"coredns": False, "kube_proxy": True, "cni": True},
    ),
    (
        "flannel",
        {"flannel": {"enable": False}},
        {"coredns": True, "kube_proxy": True, "cni": False},
    ),
    # Disabling a CNI that is not selected changes nothing.
    ("cilium", {"calico": {"enable": False}}, {"coredns": True, "kube_proxy": False, "cni": True}),
    (
        "calico",
        {"kube_proxy": None, "coredns": {"enable": True}},
        {"coredns": True, "kube_proxy": True, "cni": True},
    ),
]


def test_components_semantics(tmp_path: Path) -> None:
    terraforms = module_terraforms()
    if not terraforms:
        pytest.skip("no terraform binary on this machine")
    files = bootstrap_module()
    child = tmp_path / "components"
    child.mkdir()
    for name in ("variables.tf", "components.tf"):
        (child / name).write_text(files[name])
    (child / "flags.tf").write_text(
        render(
            [
                Block(
                    "output",
                    ["flags"],
                    [
                        Attribute(
                            "value",
                            {
                                "coredns": Expr("local.coredns_enabled"),
                                "kube_proxy": Expr("local.kube_proxy_enabled"),
                                "cni": Expr("local.cni_enabled"),
                            },
                        )
                    ],
                )
            ]
        )
    )
    calls = [
        Block(
            "module",
            [f"case{i}"],
            [
                Attribute("source", "./components"),
                *(Attribute(k, v) for k, v in BASE_VARIABLES.items()),
                Attribute("networking", networking),
                Attribute("components", components),
            ],
        )
        for i, (networking, components, _) in enumerate(COMPONENT_CASES)
    ]
    outputs = [
        Block("output", [f"case{i}"], [Attribute("value", Expr(f"module.case{i}.flags"))])
        for i in range(len(COMPONENT_CASES))
    ]
    (tmp_path / "main.tf").write_text(render([*calls, *outputs]))
    (tmp_path / "cli.tfrc").write_text("")
    env = terraform_env(tmp_path / "cli.tfrc", tmp_path)
    terraform = str(terraforms[-1].path)
    for args in (["init", "-backend=false"], ["apply", "-auto-approve"]):
        proc = subprocess.run(
            [terraform, *args, "-input=false", "-no-color"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    out = subprocess.run(
        [terraform, "output", "-json"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    values = {k: v["value"] for k, v in json.loads(out.stdout).items()}
    for i, (_, _, expected) in enumerate(COMPONENT_CASES):
        assert values[f"case{i}"] == expected, COMPONENT_CASES[i]


def test_components_type_rejects_bad_values(tmp_path: Path) -> None:
    """`components` is Typhoon's typed object: a non-bool `enable` is refused by Terraform
    (unknown keys are dropped by the type conversion, as in Typhoon; the cluster config's
    JSON Schema refuses them at generate time)."""
    terraforms = module_terraforms()
    if not terraforms:
        pytest.skip("no terraform binary on this machine")
    files = bootstrap_module()
    child = tmp_path / "bootstrap"
    child.mkdir()
    (child / "variables.tf").write_text(files["variables.tf"])
    call = Block(
        "module",
        ["bootstrap"],
        [
            Attribute("source", "./bootstrap"),
            *(Attribute(k, v) for k, v in BASE_VARIABLES.items()),
            Attribute("components", {"coredns": {"enable": "sometimes"}}),
            Attribute("networking", "weave"),
        ],
    )
    (tmp_path / "main.tf").write_text(render([call]))
    (tmp_path / "cli.tfrc").write_text("")
    env = terraform_env(tmp_path / "cli.tfrc", tmp_path)
    terraform = str(terraforms[-1].path)
    subprocess.run(
        [terraform, "init", "-backend=false", "-input=false"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [terraform, "plan", "-input=false", "-no-color"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "Invalid value for input variable" in proc.stderr
    assert "a bool is required" in proc.stderr
    assert "The networking must be one of flannel, cilium, calico." in proc.stderr
