"""Worst-case values for a node template's holes, so the generate-time size check bounds the
user data a node will really get (example values understate it).

Each hole takes the longest value the cluster can give it: names at the platform's
`cluster_name` limit, the configured DNS zone and counts (etcd peers grow with
`controller_count`), the configured SSH key, labels and taints, and a kubeconfig whose CA
certificate has the largest PEM size an RSA 2048 CA from the bootstrap module reaches. The
certificate and tokens are incompressible pseudo-random text (fixed seed: generate stays
deterministic), because the kubeconfig file hole is gzipped.
"""

from __future__ import annotations

import base64
import hashlib
import string
import textwrap
from collections.abc import Mapping
from importlib import resources

from typhoon_tf.platforms import DNS_LABEL_MAX, Platform

# Bytes of the kube CA certificate PEM, bounded: an RSA 2048 self-signed CA with every
# extension the tls provider may add (basic constraints, key usage, both key identifiers,
# extended key usage) and a 20-character organization is 1277 bytes; 10% margin.
CA_PEM_MAX = 1400
MAX_PORT = "65535"
LONGEST_IPV4 = "100.100.100.100"


def worst_case_hole_values(
    platform: Platform, variables: Mapping[str, object]
) -> dict[str, object]:
    """The longest value each node-template hole can take for a cluster with `variables`."""
    name = "x" * int(platform.extra.get("cluster_name_max_length", DNS_LABEL_MAX))
    zone = str(variables.get("dns_zone") or _default(platform, "dns_zone") or "")
    suffix = f".{zone}" if zone else ""
    configured = variables.get("controller_count", _default(platform, "controller_count"))
    count = max(1, int(str(configured or 1)))
    api_server = str(variables.get("k8s_domain_name") or f"{name}{suffix}")
    etcd_domains = [f"{name}-etcd{i}{suffix}" for i in range(count)]
    values: dict[str, object] = {
        "kubeconfig": _kubeconfig(f"https://{api_server}:{MAX_PORT}"),
        "cluster_dns_service_ip": LONGEST_IPV4,
        "etcd_name": f"etcd{count - 1}",
        "etcd_domain": etcd_domains[-1],
        "etcd_initial_cluster": ",".join(
            f"etcd{i}=https://{domain}:2380" for i, domain in enumerate(etcd_domains)
        ),
        "domain_name": max([api_server, *_machine_domains(variables)], key=len),
        "node_labels": _strings(variables.get("worker_node_labels")),
        "node_taints": _strings(variables.get("worker_node_taints")),
        "cloud_provider": "external",
        "snippets": [],
    }
    if variables.get("ssh_authorized_key"):  # else the example key
        values["ssh_authorized_key"] = str(variables["ssh_authorized_key"])
    return values


def _default(platform: Platform, variable: str) -> object:
    try:
        return platform.variable(variable).default
    except KeyError:
        return None


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _machine_domains(variables: Mapping[str, object]) -> list[str]:
    # Bare-metal lists machines with their domains.
    machines = [*_list(variables.get("controllers")), *_list(variables.get("workers"))]
    return [str(m["domain"]) for m in machines if isinstance(m, dict) and "domain" in m]


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _noise(label: str, length: int, alphabet: str) -> str:
    """`length` characters of fixed pseudo-random text (gzip cannot shrink it much)."""
    digest = hashlib.shake_256(label.encode()).digest(length)
    return "".join(alphabet[b % len(alphabet)] for b in digest)


def _ca_pem() -> str:
    header, footer = "-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n"
    body_chars = CA_PEM_MAX - len(header) - len(footer)
    body_chars -= body_chars // 65  # newline after each 64-character line
    body = _noise("ca", body_chars, string.ascii_letters + string.digits + "+/")
    return header + "\n".join(textwrap.wrap(body, 64)) + "\n" + footer


def _kubeconfig(server: str) -> str:
    template = resources.files("typhoon_tf.bootstrap").joinpath(
        "templates", "kubeconfig-bootstrap.yaml"
    )
    alphabet = string.ascii_lowercase + string.digits  # random_password's, as configured
    return (
        template.read_text()
        .replace("${server}", server)
        .replace("${ca_cert}", base64.b64encode(_ca_pem().encode()).decode())
        .replace("${token_id}", _noise("token-id", 6, alphabet))
        .replace("${token_secret}", _noise("token-secret", 16, alphabet))
    )
