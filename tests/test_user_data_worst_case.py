"""The generate-time user-data size check sizes node configs with the longest values their
holes can take (not the examples), and says by how much a config is over."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import replace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from typhoon_tf.config import ClusterConfig, example_config
from typhoon_tf.config.model import Snippet
from typhoon_tf.errors import UserError
from typhoon_tf.generate.root_module import root_module
from typhoon_tf.generate.user_data_size import CA_PEM_MAX, _ca_pem, worst_case_hole_values
from typhoon_tf.nodes.render import user_data_size
from typhoon_tf.platforms import load_platform

AWS = load_platform("aws")


def _snippet(length: int) -> Snippet:
    # Incompressible text, so gzip cannot absorb the padding.
    noise = hashlib.shake_256(b"pad").hexdigest(length // 2)
    text = (
        "variant: fcos\nversion: 1.4.0\nstorage:\n  files:\n    - path: /etc/pad\n"
        f"      contents:\n        inline: {noise}\n"
    )
    return Snippet(source="pad.bu", text=text)


def _example_size(config: ClusterConfig, snippet: Snippet) -> int:
    return user_data_size("aws", config.os, "controller", {}, snippets=[snippet])


def _config_just_under_the_limit_with_examples() -> tuple[ClusterConfig, Snippet]:
    config = example_config("aws", "fedora-coreos")
    config = replace(config, variables={**config.variables, "controller_count": 5})
    target = AWS.user_data_limit - 200
    length = 4000
    for _ in range(6):  # size grows about linearly with the padding: converge on target
        length += 2 * (target - _example_size(config, _snippet(length)))
    snippet = _snippet(length)
    assert target - 100 <= _example_size(config, snippet) <= AWS.user_data_limit
    return replace(config, snippets={"controller": (snippet,)}), snippet


def test_refused_when_only_the_worst_case_holes_exceed_the_limit() -> None:
    config, snippet = _config_just_under_the_limit_with_examples()
    worst = user_data_size(
        "aws",
        config.os,
        "controller",
        worst_case_hole_values(AWS, config.variables),
        snippets=[snippet],
    )
    assert worst > AWS.user_data_limit
    with pytest.raises(UserError) as caught:
        root_module(config)
    message = str(caught.value)
    assert "pad.bu" in message
    over = re.search(r"can reach (\d+) bytes.*?, (\d+) bytes over the 16384-byte", message)
    assert over is not None, message
    assert (int(over.group(1)), int(over.group(2))) == (worst, worst - AWS.user_data_limit)


def test_worst_case_values_follow_the_platform_and_the_config() -> None:
    config = example_config("aws", "flatcar-linux")
    variables = {**config.variables, "controller_count": 3, "worker_node_labels": ["a=b"]}
    values = worst_case_hole_values(AWS, variables)
    longest_name = "x" * AWS.extra["cluster_name_max_length"]
    zone = variables["dns_zone"]
    assert values["etcd_domain"] == f"{longest_name}-etcd2.{zone}"
    assert str(values["etcd_initial_cluster"]).count("=https://") == 3
    assert f"server: https://{longest_name}.{zone}:65535" in str(values["kubeconfig"])
    assert values["node_labels"] == ["a=b"]
    assert values["ssh_authorized_key"] == variables["ssh_authorized_key"]


def test_the_ca_bound_covers_a_real_rsa_2048_ca() -> None:
    """An RSA 2048 CA with more than the bootstrap module's CA carries fits CA_PEM_MAX."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes-ca"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "typhoon-organization"),
        ]
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = datetime.datetime(2049, 1, 1, tzinfo=datetime.UTC)  # GeneralizedTime after 2049
    usage = x509.KeyUsage(True, False, True, False, False, True, True, False, False)
    server, client = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(2**159 - 1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=36500))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False)
        .add_extension(x509.ExtendedKeyUsage([server, client]), critical=False)
        .sign(key, hashes.SHA256())
    )
    assert len(cert.public_bytes(serialization.Encoding.PEM)) <= CA_PEM_MAX
    assert abs(len(_ca_pem()) - CA_PEM_MAX) <= 1
