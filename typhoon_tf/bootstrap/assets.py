"""Locals that turn certificates and templates into kubeconfigs, manifests and `assets_dist`.

Every template under `resources/` is a Terraform `templatefile` rendered with one shared set
of variables (`local.template_vars`), so a template may use any of them; `TEMPLATE_VARS`
lists them with the expression that feeds each.
"""

from __future__ import annotations

from typhoon_tf import conventions
from typhoon_tf.bootstrap.interface import CONTAINER_IMAGES, NETWORKS
from typhoon_tf.hcl import Attribute, Block, BodyItem, Comment, Expr, Value, render_value

# Directories on the node that the manifests must agree with (single-sourced in conventions).
DIRECTORIES: dict[str, str] = {
    "pki_dir": conventions.PKI_DIR,
    "cni_conf_dir": conventions.CNI_CONF_DIR,
    "cni_bin_dir": conventions.CNI_BIN_DIR,
    "volume_plugin_dir": conventions.VOLUME_PLUGIN_DIR,
}

# Encapsulation overhead calico subtracts from the node MTU.
CALICO_OVERHEAD = {"ipip": 20, "vxlan": 50}

TEMPLATE_VARS: dict[str, Value] = {
    "cluster_name": Expr("var.cluster_name"),
    "server": Expr("local.server"),
    "apiserver_host": Expr("var.api_servers[0]"),
    "apiserver_port": Expr("var.external_apiserver_port"),
    "pod_cidr": Expr("var.pod_cidr"),
    "service_cidr": Expr("var.service_cidr"),
    "cluster_domain_suffix": Expr("var.cluster_domain_suffix"),
    "cluster_dns_service_ip": Expr("cidrhost(var.service_cidr, 10)"),
    "etcd_servers": Expr('join(",", formatlist("https://%s:2379", var.etcd_servers))'),
    "control_plane_replicas": Expr("max(2, length(var.etcd_servers))"),
    "enable_aggregation": Expr("var.enable_aggregation"),
    "cloud_provider": Expr('var.cloud_provider == null ? "" : var.cloud_provider'),
    "service_account_issuer": Expr("var.service_account_issuer"),
    "daemonset_tolerations": Expr("var.daemonset_tolerations"),
    "images": Expr("local.container_images"),
    "token_id": Expr("random_password.bootstrap-token-id.result"),
    "token_secret": Expr("random_password.bootstrap-token-secret.result"),
    "network_mtu": Expr("var.network_mtu"),
    "calico_encapsulation": Expr("var.network_encapsulation"),
    "calico_mtu": Expr(
        "var.network_mtu - "
        f'(var.network_encapsulation == "vxlan" ? {CALICO_OVERHEAD["vxlan"]} '
        f": {CALICO_OVERHEAD['ipip']})"
    ),
    **DIRECTORIES,
}

# Template folder under resources/ -> key prefix in assets_dist, and the condition that
# includes it (Typhoon's `components` semantics).
MANIFEST_SETS: tuple[tuple[str, str, str, str], ...] = (
    ("static_manifests", "static-manifests", "static-manifests", "true"),
    ("manifests", "manifests", "manifests", "true"),
    ("coredns_manifests", "coredns", "manifests/coredns", "local.coredns_enabled"),
    ("kube_proxy_manifests", "kube-proxy", "manifests/kube-proxy", "local.kube_proxy_enabled"),
    ("network_manifests", "${var.networking}", "manifests/network", "local.cni_enabled"),
)


def _component(name: str) -> Expr:
    return Expr(
        f"local.components_enabled && coalesce(try(var.components.{name}.enable, null), true)"
    )


def components_locals() -> Block:
    cni = " || ".join(f'(var.networking == "{n}" && local.{n}_enabled)' for n in NETWORKS)
    return Block(
        "locals",
        [],
        [
            Comment(
                "Typhoon's `components`: everything is on unless `enable = false` at the top\n"
                "or in a component's object (null or missing means enabled)."
            ),
            Attribute(
                "components_enabled", Expr("coalesce(try(var.components.enable, null), true)")
            ),
            Attribute("coredns_enabled", _component("coredns")),
            Comment("Cilium replaces kube-proxy; flannel and calico need it."),
            Attribute(
                "kube_proxy_enabled",
                Expr(f'{_component("kube_proxy").text} && var.networking != "cilium"'),
            ),
            *(Attribute(f"{n}_enabled", _component(n)) for n in NETWORKS),
            Attribute("cni_enabled", Expr(cni)),
        ],
    )


def images_locals() -> Block:
    return Block(
        "locals",
        [],
        [
            Comment("Pinned images; var.container_images overrides any subset of them."),
            Attribute("default_container_images", dict(CONTAINER_IMAGES)),
            Attribute(
                "container_images",
                Expr("merge(local.default_container_images, var.container_images)"),
            ),
        ],
    )


def manifests_locals() -> Block:
    body: list[BodyItem] = [
        Comment("Variables shared by every template under resources/."),
        Attribute("template_vars", TEMPLATE_VARS),
    ]
    for local_name, folder, prefix, condition in MANIFEST_SETS:
        source = "${path.module}/resources/" + folder
        filter_ = "" if condition == "true" else f"\nif {condition}"
        body.append(
            Attribute(
                local_name,
                Expr(
                    "{\n"
                    f'  for name in fileset("{source}", "*.yaml") :\n'
                    f'  "{prefix}/${{name}}" => '
                    f'templatefile("{source}/${{name}}", local.template_vars)'
                    + filter_.replace("\n", "\n  ")
                    + "\n}"
                ),
            )
        )
    return Block("locals", [], body)


def kubeconfig_locals() -> Block:
    def admin_like(cert: str) -> Expr:
        return Expr(
            'templatefile("${path.module}/resources/kubeconfig-admin.yaml", {\n'
            "  name        = var.cluster_name\n"
            "  server      = local.server\n"
            "  ca_cert     = base64encode(tls_self_signed_cert.kube-ca.cert_pem)\n"
            f"  client_cert = base64encode(tls_locally_signed_cert.{cert}.cert_pem)\n"
            f"  client_key  = base64encode(tls_private_key.{cert}.private_key_pem)\n"
            "})"
        )

    return Block(
        "locals",
        [],
        [
            Attribute(
                "server", Expr('"https://${var.api_servers[0]}:${var.external_apiserver_port}"')
            ),
            Attribute("kubeconfig_admin", admin_like("admin")),
            Comment("Bootstrap-token kubeconfig: kubelets use it to obtain client certificates."),
            Attribute(
                "kubeconfig_kubelet",
                Expr(
                    'templatefile("${path.module}/resources/kubeconfig-bootstrap.yaml", {\n'
                    "  server       = local.server\n"
                    "  ca_cert      = base64encode(tls_self_signed_cert.kube-ca.cert_pem)\n"
                    "  token_id     = random_password.bootstrap-token-id.result\n"
                    "  token_secret = random_password.bootstrap-token-secret.result\n"
                    "})"
                ),
            ),
            Attribute(
                "auth_kubeconfigs",
                {
                    "auth/admin.conf": Expr("local.kubeconfig_admin"),
                    "auth/controller-manager.conf": admin_like("controller-manager"),
                    "auth/scheduler.conf": admin_like("scheduler"),
                },
            ),
        ],
    )


def tls_assets_locals() -> Block:
    aggregation = {
        "tls/k8s/aggregation-ca.crt": Expr(
            'join("", tls_self_signed_cert.aggregation-ca[*].cert_pem)'
        ),
        "tls/k8s/aggregation-client.crt": Expr(
            'join("", tls_locally_signed_cert.aggregation-client[*].cert_pem)'
        ),
        "tls/k8s/aggregation-client.key": Expr(
            'join("", tls_private_key.aggregation-client[*].private_key_pem)'
        ),
    }
    return Block(
        "locals",
        [],
        [
            Attribute(
                "kubernetes_tls",
                {
                    "tls/k8s/ca.crt": Expr("tls_self_signed_cert.kube-ca.cert_pem"),
                    "tls/k8s/ca.key": Expr("tls_private_key.kube-ca.private_key_pem"),
                    "tls/k8s/apiserver.crt": Expr("tls_locally_signed_cert.apiserver.cert_pem"),
                    "tls/k8s/apiserver.key": Expr("tls_private_key.apiserver.private_key_pem"),
                    "tls/k8s/service-account.pub": Expr(
                        "tls_private_key.service-account.public_key_pem"
                    ),
                    "tls/k8s/service-account.key": Expr(
                        "tls_private_key.service-account.private_key_pem"
                    ),
                },
            ),
            Comment("Empty when the aggregation layer is off (the resources have count = 0)."),
            Attribute(
                "aggregation_tls",
                Expr(
                    "{\n  for path, pem in "
                    + render_value(aggregation).replace("\n", "\n  ")
                    + " :\n  path => pem if var.enable_aggregation\n}"
                ),
            ),
            Attribute(
                "etcd_tls",
                {
                    "tls/etcd/etcd-client-ca.crt": Expr("tls_self_signed_cert.etcd-ca.cert_pem"),
                    "tls/etcd/etcd-client.crt": Expr("tls_locally_signed_cert.client.cert_pem"),
                    "tls/etcd/etcd-client.key": Expr("tls_private_key.client.private_key_pem"),
                    "tls/etcd/server-ca.crt": Expr("tls_self_signed_cert.etcd-ca.cert_pem"),
                    "tls/etcd/server.crt": Expr("tls_locally_signed_cert.server.cert_pem"),
                    "tls/etcd/server.key": Expr("tls_private_key.server.private_key_pem"),
                    "tls/etcd/peer-ca.crt": Expr("tls_self_signed_cert.etcd-ca.cert_pem"),
                    "tls/etcd/peer.crt": Expr("tls_locally_signed_cert.peer.cert_pem"),
                    "tls/etcd/peer.key": Expr("tls_private_key.peer.private_key_pem"),
                },
            ),
            Comment("Everything controllers receive over SSH, keyed by path (Typhoon's layout)."),
            Attribute(
                "assets_dist",
                Expr(
                    "merge(\n"
                    + "".join(
                        f"  local.{name},\n"
                        for name in (
                            "auth_kubeconfigs",
                            "kubernetes_tls",
                            "aggregation_tls",
                            "etcd_tls",
                            *(s[0] for s in MANIFEST_SETS),
                        )
                    )
                    + ")"
                ),
            ),
        ],
    )
