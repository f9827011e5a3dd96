"""Typed holes: the Terraform template and `render()` agree, through real `templatefile()`."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from test_nodes_helpers import node_matrix, normalize, terraform_render

from typhoon_tf.nodes import HOLES, NodeOptions, example_values, node_template, render

# A realistic bootstrap kubeconfig: a 2048-bit CA certificate is ~1.1 KiB of PEM.
_CA = base64.b64encode(
    b"-----BEGIN CERTIFICATE-----\n" + b"M" * 1100 + b"\n-----END CERTIFICATE-----\n"
).decode()
REAL_KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n"
    "    server: https://tempest.aws.example.com:6443\n"
    f"    certificate-authority-data: {_CA}\n"
    "users:\n- name: kubelet\n  user:\n    token: 0a1b2c.0123456789abcdef\n"
    "contexts:\n- context:\n    cluster: local\n    user: kubelet\n"
)
_SNIPPET = json.dumps(
    {
        "ignition": {"version": "3.3.0"},
        "storage": {"files": [{"path": "/etc/x", "contents": {"source": "data:,x"}}]},
    }
)
RICH_VALUES: dict[str, object] = {
    "kubeconfig": REAL_KUBECONFIG,
    "ssh_authorized_key": 'ssh-ed25519 AAAAC3Nza "quoted" ${not_interpolated} %{if} me@host',
    "cluster_dns_service_ip": "10.3.0.10",
    "etcd_name": "etcd2",
    "etcd_domain": "tempest-etcd2.aws.example.com",
    "etcd_initial_cluster": "etcd0=https://a:2380,etcd1=https://b:2380,etcd2=https://c:2380",
    "domain_name": "node7.example.com",
    "node_labels": ["pool=general", "example.com/tier=web"],
    "node_taints": ["dedicated=web:NoSchedule", "arch=arm64:NoSchedule"],
    "cloud_provider": "external",
    "snippets": ["data:;base64," + base64.b64encode(_SNIPPET.encode()).decode()],
}
DEFAULT_NODES: list[tuple[str, str, str, str | None]] = [
    (p, o, r, None) for p, o, r in node_matrix()
]
OTHER_VERSIONS: list[tuple[str, str, str, str | None]] = [
    ("aws", "flatcar-linux", "controller", "2.3.0"),
    ("bare-metal", "flatcar-linux", "worker", "2.3.0"),
    ("google-cloud", "fedora-coreos", "controller", "3.5.0"),
    ("azure", "flatcar-linux", "worker", "3.4.0"),
]


def _values_for(names: list[str], rich: bool) -> dict[str, object]:
    source: dict[str, object] = RICH_VALUES if rich else dict(example_values(names))
    return {n: source[n] for n in names}


def test_variables_per_node() -> None:
    expected = {
        ("aws", "controller"): {
            "kubeconfig",
            "ssh_authorized_key",
            "cluster_dns_service_ip",
            "etcd_name",
            "etcd_domain",
            "etcd_initial_cluster",
            "cloud_provider",
            "snippets",
        },
        ("aws", "worker"): {
            "kubeconfig",
            "ssh_authorized_key",
            "cluster_dns_service_ip",
            "node_labels",
            "node_taints",
            "cloud_provider",
            "snippets",
        },
        ("bare-metal", "controller"): {
            "ssh_authorized_key",
            "cluster_dns_service_ip",
            "domain_name",
            "etcd_name",
            "etcd_initial_cluster",
            "snippets",
        },
        ("bare-metal", "worker"): {
            "ssh_authorized_key",
            "cluster_dns_service_ip",
            "domain_name",
            "node_labels",
            "node_taints",
            "snippets",
        },
        ("digital-ocean", "controller"): {
            "cluster_dns_service_ip",
            "etcd_name",
            "etcd_domain",
            "etcd_initial_cluster",
            "cloud_provider",
            "snippets",
        },
        ("digital-ocean", "worker"): {
            "cluster_dns_service_ip",
            "node_labels",
            "node_taints",
            "cloud_provider",
            "snippets",
        },
    }
    for (platform, role), names in expected.items():
        for os_name in ("fedora-coreos", "flatcar-linux"):
            template = node_template(platform, os_name, role)
            assert set(template.variables) == names
            assert list(template.variables) == [n for n in HOLES if n in names]  # catalogue order
            for name in names:  # every variable is referenced by the text
                assert re.search(rf"\b{name}\b", template.text)


def test_only_our_interpolations_are_live() -> None:
    for platform, os_name, role in node_matrix():
        template = node_template(platform, os_name, role)
        text = template.text
        # functions at the top level, hole variables inside file-content expressions
        allowed = re.compile(
            rf"(jsonencode\(|base64encode\(|base64gzip\(|join\(|length\(|({'|'.join(template.variables)})\b)"
        )
        assert "%{" not in text.replace("%%{", "")
        for match in re.finditer(r"(?<!\$)\$\{", text):
            assert allowed.match(text, match.end()), text[match.start() : match.start() + 60]
        assert "${KUBELET_IMAGE}" not in text.replace("$${KUBELET_IMAGE}", "")


def test_templatefile_agrees_with_render(tmp_path: Path) -> None:
    """One `terraform apply` (a few seconds) evaluates every node, with the example and
    with rich values, plus nodes at the non-default Ignition versions."""
    cases: dict[str, tuple[str, dict[str, object]]] = {}
    expected: dict[str, dict[str, object]] = {}
    for index, (platform, os_name, role, version) in enumerate(DEFAULT_NODES + OTHER_VERSIONS):
        options = NodeOptions(ignition_version=version)
        template = node_template(platform, os_name, role, options)
        names = list(template.variables)
        for rich in (False, True):
            values = _values_for(names, rich)
            if rich and version == "2.3.0":
                values["snippets"] = []  # spec-2 nodes append spec-2 configs only
            name = f"n{index}_{'rich' if rich else 'example'}"
            cases[name] = (template.text, values)
            expected[name] = render(platform, os_name, role, values, options)
    got = terraform_render(cases, tmp_path)
    for name, text in got.items():
        assert normalize(json.loads(text)) == normalize(expected[name]), name


def test_apply_time_size_within_budget(tmp_path: Path) -> None:
    """With a realistic kubeconfig, Terraform's output for an AWS controller is <= 12 KiB
    and no larger than our Butane-rule encoding of the same content plus 1 %."""
    sizes = {}
    cases = {}
    for os_name in ("fedora-coreos", "flatcar-linux"):
        for role in ("controller", "worker"):
            template = node_template("aws", os_name, role)
            values = _values_for(list(template.variables), rich=True)
            values["snippets"] = []
            cases[f"{os_name}_{role}".replace("-", "_")] = (template.text, values)
            sizes[f"{os_name}_{role}".replace("-", "_")] = len(
                json.dumps(render("aws", os_name, role, values), separators=(",", ":"))
            )
    got = terraform_render(cases, tmp_path)
    for name, text in got.items():
        assert len(text) <= 12 * 1024, (name, len(text))
        assert len(text) <= sizes[name] * 1.01, (name, len(text), sizes[name])


def test_a_dollar_right_before_a_hole_stays_a_literal(tmp_path: Path) -> None:
    from typhoon_tf.nodes.holes import SentinelHoles, fill_holes

    holes = SentinelHoles()
    word = holes.text("etcd_name")
    config = {
        "ignition": {"version": "3.3.0"},
        "storage": {
            "files": [{"path": "/etc/x", "contents": {"source": f"data:,price%20${word}"}}]
        },
    }
    text = fill_holes(config, holes, {"etcd_name": "etcd0"})
    rendered = terraform_render({"t": (text, {"etcd_name": "etcd7"})}, tmp_path)["t"]
    source = json.loads(rendered)["storage"]["files"][0]["contents"]["source"]
    assert base64.b64decode(source.split(",", 1)[1]).decode() == "price $etcd7"
