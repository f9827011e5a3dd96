"""The bootstrap module's interface: input variables and outputs, defined once.

`variables.tf`, `outputs.tf` and the module README are all generated from these lists, so the
documentation cannot drift from the code. Names, types and defaults follow
terraform-render-bootstrap (Typhoon); additions are marked `typhoon=False`.
"""

from __future__ import annotations

from typhoon_tf import versions
from typhoon_tf.platforms import Output, Provider, Validation, Variable, shared_variables

NETWORKS = ("flannel", "cilium", "calico")
PROVIDERS = (
    Provider("random", "hashicorp/random", "~> 3.1"),
    Provider("tls", "hashicorp/tls", "~> 4.0"),
)
ENCAPSULATIONS = ("ipip", "vxlan")

# Typhoon's `container_images` keys, plus calico's (dropped upstream, restored here).
CONTAINER_IMAGES: dict[str, str] = {
    "calico": versions.CALICO_NODE_IMAGE,
    "calico_cni": versions.CALICO_CNI_IMAGE,
    "calico_kube_controllers": versions.CALICO_KUBE_CONTROLLERS_IMAGE,
    "cilium_agent": versions.CILIUM_AGENT_IMAGE,
    "cilium_operator": versions.CILIUM_OPERATOR_IMAGE,
    "coredns": versions.COREDNS_IMAGE,
    "flannel": versions.FLANNEL_IMAGE,
    "flannel_cni": versions.FLANNEL_CNI_IMAGE,
    "kube_apiserver": versions.KUBE_APISERVER_IMAGE,
    "kube_controller_manager": versions.KUBE_CONTROLLER_MANAGER_IMAGE,
    "kube_proxy": versions.KUBE_PROXY_IMAGE,
    "kube_scheduler": versions.KUBE_SCHEDULER_IMAGE,
}


def _one_of(name: str, choices: tuple[str, ...]) -> Validation:
    listed = ", ".join(f'"{c}"' for c in choices)
    return Validation(
        f"contains([{listed}], var.{name})",
        f"The {name} must be one of {', '.join(choices)}.",
    )


def _cidr(name: str) -> Validation:
    return Validation(
        f"can(cidrhost(var.{name}, 0))",
        f"The {name} must be an IPv4 CIDR range such as 10.3.0.0/16.",
    )


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "cluster_name",
        "string",
        "Cluster name (used as the kubeconfig cluster, user and context name)",
        required=True,
    ),
    Variable(
        "api_servers",
        "list(string)",
        "List of URLs used to reach kube-apiserver (the first is the server address)",
        required=True,
        validations=(
            Validation("length(var.api_servers) > 0", "At least one api_servers entry is needed."),
        ),
    ),
    Variable(
        "etcd_servers",
        "list(string)",
        "List of etcd server fully qualified domain names (one per controller)",
        required=True,
        validations=(
            Validation("length(var.etcd_servers) > 0", "At least one etcd server is needed."),
        ),
    ),
    Variable(
        "networking",
        "string",
        "Choice of networking provider (flannel, cilium or calico)",
        default="cilium",
        validations=(_one_of("networking", NETWORKS),),
    ),
    Variable(
        "pod_cidr",
        "string",
        "CIDR IP range to assign Kubernetes pods",
        default="10.20.0.0/14",
        validations=(_cidr("pod_cidr"),),
    ),
    Variable(
        "service_cidr",
        "string",
        "CIDR IP range to assign Kubernetes services. The 1st IP is reserved for "
        "kube-apiserver, the 10th IP for CoreDNS.",
        default="10.3.0.0/24",
        validations=(_cidr("service_cidr"),),
    ),
    Variable(
        "container_images",
        "map(string)",
        "Container images to use (keys not given keep their default)",
        default=dict(CONTAINER_IMAGES),
    ),
    Variable(
        "enable_aggregation",
        "bool",
        "Enable the Kubernetes Aggregation Layer",
        default=True,
    ),
    Variable(
        "daemonset_tolerations",
        "list(string)",
        "List of additional taint keys kube-system DaemonSets should tolerate "
        "(e.g. ['custom-role', 'gpu-role'])",
        default=[],
    ),
    Variable(
        "external_apiserver_port",
        "number",
        "External kube-apiserver port (e.g. 6443 to match the internal port)",
        default=6443,
        validations=(
            Validation(
                "var.external_apiserver_port > 0 && var.external_apiserver_port < 65536",
                "The external_apiserver_port must be a TCP port number.",
            ),
        ),
    ),
    Variable(
        "cluster_domain_suffix",
        "string",
        "Queries for domains with the suffix will be answered by CoreDNS",
        default="cluster.local",
    ),
    shared_variables()["components"],
    Variable(
        "service_account_issuer",
        "string",
        "kube-apiserver service account token issuer (used as an identifier in 'iss' claims)",
        default="https://kubernetes.default.svc.cluster.local",
    ),
    Variable(
        "cloud_provider",
        "string",
        "Kubernetes cloud provider for the controller manager (null or external)",
        default=None,
        validations=(
            Validation(
                'var.cloud_provider == null ? true : var.cloud_provider == "external"',
                'The cloud_provider must be null or "external".',
            ),
        ),
    ),
    Variable(
        "certificate_validity_hours",
        "number",
        "Validity period of every certificate (CAs included) in hours; Typhoon hard-codes 8760",
        default=8760,
        validations=(
            Validation(
                "var.certificate_validity_hours >= 1",
                "The certificate_validity_hours must be at least 1.",
            ),
        ),
        typhoon=False,
    ),
    Variable(
        "network_mtu",
        "number",
        "MTU of the nodes' network interface; the CNI subtracts its encapsulation overhead "
        "(calico IP-in-IP 20, VXLAN 50)",
        default=1500,
        validations=(
            Validation(
                "var.network_mtu >= 1280 && var.network_mtu <= 9001",
                "The network_mtu must be between 1280 and 9001.",
            ),
        ),
        typhoon=False,
    ),
    Variable(
        "network_encapsulation",
        "string",
        "Calico encapsulation mode (ipip or vxlan)",
        default="ipip",
        validations=(_one_of("network_encapsulation", ENCAPSULATIONS),),
        typhoon=False,
    ),
)

_ETCD_OUTPUTS = (
    ("etcd_ca_cert", "tls_self_signed_cert.etcd-ca.cert_pem", "etcd CA certificate"),
    ("etcd_client_cert", "tls_locally_signed_cert.client.cert_pem", "etcd client certificate"),
    ("etcd_client_key", "tls_private_key.client.private_key_pem", "etcd client private key"),
    ("etcd_server_cert", "tls_locally_signed_cert.server.cert_pem", "etcd server certificate"),
    ("etcd_server_key", "tls_private_key.server.private_key_pem", "etcd server private key"),
    ("etcd_peer_cert", "tls_locally_signed_cert.peer.cert_pem", "etcd peer certificate"),
    ("etcd_peer_key", "tls_private_key.peer.private_key_pem", "etcd peer private key"),
)

OUTPUTS: tuple[Output, ...] = (
    Output(
        "cluster_dns_service_ip",
        "cidrhost(var.service_cidr, 10)",
        "Cluster IP of the CoreDNS service (for kubelet --cluster-dns)",
    ),
    Output(
        "kubeconfig-kubelet",
        "local.kubeconfig_kubelet",
        "Bootstrap-token kubeconfig the kubelets use to request their client certificates",
        sensitive=True,
    ),
    Output("kubeconfig-admin", "local.kubeconfig_admin", "Admin kubeconfig", sensitive=True),
    Output(
        "assets_dist",
        "local.assets_dist",
        "Controller assets keyed by path (TLS, kubeconfigs, static pods, manifests), "
        "as copied to controllers over SSH",
        sensitive=True,
    ),
    *(Output(n, v, d, sensitive=True) for n, v, d in _ETCD_OUTPUTS),
    Output(
        "service_account_public_key",
        "tls_private_key.service-account.public_key_pem",
        "Public key that verifies service account tokens",
    ),
    Output("server", "local.server", "kube-apiserver URL", typhoon=False),
    Output(
        "ca_cert",
        "tls_self_signed_cert.kube-ca.cert_pem",
        "Kubernetes CA certificate (PEM)",
        typhoon=False,
    ),
)
