"""TLS resources (hashicorp/tls) for the Kubernetes, aggregation and etcd PKIs.

Subjects, SANs and usages follow terraform-render-bootstrap so the certificates Typhoon users
know keep working; every lifetime comes from `var.certificate_validity_hours`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from typhoon_tf.hcl import Attribute, Block, BodyItem, Comment, Expr, Value

VALIDITY = Expr("var.certificate_validity_hours")
AGGREGATION_COUNT = Expr("var.enable_aggregation ? 1 : 0")
CA_USES = ["key_encipherment", "digital_signature", "cert_signing"]
CLIENT_USES = ["key_encipherment", "digital_signature", "client_auth"]
SERVING_USES = ["key_encipherment", "digital_signature", "server_auth", "client_auth"]


@dataclass(frozen=True)
class Subject:
    common_name: str
    organization: str | None = None

    def block(self) -> Block:
        body: list[BodyItem] = [Attribute("common_name", self.common_name)]
        if self.organization is not None:
            body.append(Attribute("organization", self.organization))
        return Block("subject", [], body)


def _count(count: Expr | None) -> list[BodyItem]:
    return [Attribute("count", count)] if count is not None else []


def _ref(resource: str, count: Expr | None) -> str:
    return f"{resource}[0]" if count is not None else resource


def private_key(name: str, count: Expr | None = None) -> Block:
    return Block(
        "resource",
        ["tls_private_key", name],
        [*_count(count), Attribute("algorithm", "RSA"), Attribute("rsa_bits", 2048)],
    )


def certificate_authority(name: str, subject: Subject, count: Expr | None = None) -> list[Block]:
    """A key and a self-signed CA certificate, both called `name`."""
    cert = Block(
        "resource",
        ["tls_self_signed_cert", name],
        [
            *_count(count),
            Attribute(
                "private_key_pem",
                Expr(_ref(f"tls_private_key.{name}", count) + ".private_key_pem"),
            ),
            subject.block(),
            Attribute("is_ca_certificate", True),
            Attribute("validity_period_hours", VALIDITY),
            Attribute("allowed_uses", CA_USES),
        ],
    )
    return [private_key(name, count), cert]


@dataclass(frozen=True)
class Signed:
    """A key, a CSR and a certificate signed by `ca` (a CA made by `certificate_authority`)."""

    name: str
    ca: str
    subject: Subject
    uses: Sequence[str]
    dns_names: Value = None
    ip_addresses: Value = None
    count: Expr | None = None

    def blocks(self) -> list[Block]:
        key = _ref(f"tls_private_key.{self.name}", self.count)
        request: list[BodyItem] = [
            *_count(self.count),
            Attribute("private_key_pem", Expr(f"{key}.private_key_pem")),
            self.subject.block(),
        ]
        if self.dns_names is not None:
            request.append(Attribute("dns_names", self.dns_names))
        if self.ip_addresses is not None:
            request.append(Attribute("ip_addresses", self.ip_addresses))
        ca_key = _ref(f"tls_private_key.{self.ca}", self.count)
        ca_cert = _ref(f"tls_self_signed_cert.{self.ca}", self.count)
        csr = _ref(f"tls_cert_request.{self.name}", self.count)
        cert = Block(
            "resource",
            ["tls_locally_signed_cert", self.name],
            [
                *_count(self.count),
                Attribute("cert_request_pem", Expr(f"{csr}.cert_request_pem")),
                Attribute("ca_private_key_pem", Expr(f"{ca_key}.private_key_pem")),
                Attribute("ca_cert_pem", Expr(f"{ca_cert}.cert_pem")),
                Attribute("validity_period_hours", VALIDITY),
                Attribute("allowed_uses", list(self.uses)),
            ],
        )
        return [
            private_key(self.name, self.count),
            Block("resource", ["tls_cert_request", self.name], request),
            cert,
        ]


def kubernetes_pki() -> list[BodyItem]:
    apiserver_dns = Expr(
        "concat(var.api_servers, [\n"
        '  "kubernetes",\n'
        '  "kubernetes.default",\n'
        '  "kubernetes.default.svc",\n'
        '  "kubernetes.default.svc.${var.cluster_domain_suffix}",\n'
        "])"
    )
    items: list[BodyItem] = [Comment("Kubernetes CA")]
    items += certificate_authority("kube-ca", Subject("kubernetes-ca", "typhoon"))
    items.append(
        Comment("kube-apiserver serving certificate (also its client certificate for kubelets)")
    )
    items += Signed(
        "apiserver",
        "kube-ca",
        Subject("kube-apiserver", "system:masters"),
        SERVING_USES,
        dns_names=apiserver_dns,
        ip_addresses=[Expr("cidrhost(var.service_cidr, 1)")],
    ).blocks()
    for name, subject, comment in (
        ("admin", Subject("kubernetes-admin", "system:masters"), "Admin client"),
        (
            "controller-manager",
            Subject("system:kube-controller-manager"),
            "kube-controller-manager client",
        ),
        ("scheduler", Subject("system:kube-scheduler"), "kube-scheduler client"),
    ):
        items.append(Comment(comment))
        items += Signed(name, "kube-ca", subject, CLIENT_USES).blocks()
    items.append(Comment("Service account token signing keypair"))
    items.append(private_key("service-account"))
    return items


def aggregation_pki() -> list[BodyItem]:
    items: list[BodyItem] = [
        Comment("Aggregation layer: front-proxy CA (its key never leaves Terraform state)")
    ]
    items += certificate_authority(
        "aggregation-ca", Subject("kubernetes-front-proxy-ca"), AGGREGATION_COUNT
    )
    items.append(Comment("Front-proxy client certificate kube-apiserver presents to extensions"))
    items += Signed(
        "aggregation-client",
        "aggregation-ca",
        Subject("kube-apiserver"),
        CLIENT_USES,
        count=AGGREGATION_COUNT,
    ).blocks()
    return items


def etcd_pki() -> list[BodyItem]:
    etcd_sans = Expr('concat(var.etcd_servers, ["localhost"])')
    items: list[BodyItem] = [Comment("etcd CA (one CA signs client, server and peer certificates)")]
    items += certificate_authority("etcd-ca", Subject("etcd-ca", "etcd"))
    for name, common_name, dns, ips in (
        ("client", "etcd-client", etcd_sans, ["127.0.0.1"]),
        ("server", "etcd-server", etcd_sans, ["127.0.0.1"]),
        ("peer", "etcd-peer", Expr("var.etcd_servers"), None),
    ):
        items.append(Comment(f"etcd {name} certificate"))
        items += Signed(
            name,
            "etcd-ca",
            Subject(common_name, "etcd"),
            SERVING_USES,
            dns_names=dns,
            ip_addresses=ips,
        ).blocks()
    return items


def bootstrap_token() -> list[BodyItem]:
    """The kubelet bootstrap token `<id>.<secret>` ([a-z0-9]{6}.[a-z0-9]{16})."""
    items: list[BodyItem] = [Comment("Kubelet TLS bootstrap token (id.secret)")]
    for name, length in (("bootstrap-token-id", 6), ("bootstrap-token-secret", 16)):
        items.append(
            Block(
                "resource",
                ["random_password", name],
                [
                    Attribute("length", length),
                    Attribute("upper", False),
                    Attribute("special", False),
                ],
            )
        )
    return items
