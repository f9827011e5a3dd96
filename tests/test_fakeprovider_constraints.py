"""The fakes reject the values the real providers reject (provider_facts.yaml `constraints:`)."""

from __future__ import annotations

from typing import Any

import msgpack  # type: ignore[import-untyped]
import pytest
from test_fakeprovider_force_new import SCHEMA_BLOCKS, _node
from tf.types import Unknown

from typhoon_tf.testing.fakeprovider.constraints import (
    CROSS_KINDS,
    check,
    load_constraints,
    parse_constraint,
)
from typhoon_tf.testing.fakeprovider.force_new import load_table

CONSTRAINTS = load_constraints()
PLATFORMS = ("aws_", "google_", "azurerm_", "digitalocean_")


def _messages(type_name: str, config: dict[str, Any], stage: str = "validate") -> list[str]:
    return [
        f"{e.summary}: {e.detail}" if e.detail else e.summary
        for e in check(type_name, config, stage)
    ]


def test_every_constraint_path_exists_in_the_vendored_schema() -> None:
    wrong = []
    for type_name, constraints in CONSTRAINTS.items():
        block = SCHEMA_BLOCKS[type_name]
        for constraint in constraints:
            paths = [*constraint.paths, *constraint.on]
            if constraint.when is not None:
                paths.append(str(constraint.when["path"]))
            wrong += [f"{type_name}: {p}" for p in paths if _node(block, p) is None]
    assert not wrong, wrong


def test_constraints_cover_every_cloud_platform_and_cite_their_source() -> None:
    table = load_table()
    typed = {t for t, c in CONSTRAINTS.items() if c}
    for prefix in PLATFORMS:
        assert any(t.startswith(prefix) for t in typed), prefix
    for type_name in typed:
        assert table[type_name].source.startswith("https://registry.terraform.io/"), type_name
    print(f"\n{sum(len(c) for c in CONSTRAINTS.values())} constraints over {len(typed)} types")


def test_a_constraint_names_exactly_one_kind() -> None:
    with pytest.raises(ValueError, match="exactly one kind"):
        parse_constraint({"path": "a", "one_of": ["x"], "range": [1, 2]})


# The issue's examples, which the fake AWS cycle accepted, with the real provider's messages.
ISSUE_EXAMPLES = [
    (
        "aws_instance",
        {"ami": "ami-1", "user_data": "{}", "user_data_base64": "e30="},
        'Conflicting configuration arguments: "user_data": conflicts with user_data_base64',
    ),
    (
        "aws_instance",
        {"ami": "ami-1", "root_block_device": [{"volume_type": "gp9"}]},
        'expected volume_type to be one of ["standard" "io1" "io2" "gp2" "sc1" "st1" "gp3"], '
        "got gp9",
    ),
    (
        "aws_lb_target_group",
        {"protocol": "TCPX"},
        'expected protocol to be one of ["HTTP" "HTTPS" "TCP" "TLS" "UDP" "TCP_UDP" "GENEVE"], '
        "got TCPX",
    ),
    (
        "aws_lb_target_group",
        {"port": 99999},
        "expected port to be in the range (1 - 65535), got 99999",
    ),
    (
        "aws_lb_target_group",
        {"name": "x" * 51},
        '"name" cannot be longer than 32 characters',
    ),
]


@pytest.mark.parametrize(("type_name", "config", "message"), ISSUE_EXAMPLES)
def test_the_issues_examples_are_rejected_with_the_providers_message(
    type_name: str, config: dict[str, Any], message: str
) -> None:
    assert message in _messages(type_name, config)


def test_the_error_points_at_the_nested_attribute() -> None:
    [error] = check("aws_instance", {"ami": "a", "root_block_device": [{"volume_type": "gp9"}]})
    assert error.path == ["root_block_device", 0, "volume_type"]


def test_unknown_and_null_values_are_skipped() -> None:
    assert check("aws_lb_target_group", {"protocol": Unknown, "port": None}) == []
    # Terraform >= 1.6 sends unknowns with refinements as msgpack extension 12.
    refined = msgpack.ExtType(12, b"\x81\x01\xc2")
    assert check("aws_security_group_rule", {"type": "ingress", "cidr_blocks": [refined]}) == []
    # An unknown member of an exactly-one-of group may yet be set: no verdict before plan.
    assert check("aws_route", {"destination_cidr_block": Unknown, "gateway_id": "igw-1"}) == []


@pytest.mark.parametrize(
    ("type_name", "config", "part"),
    [
        ("google_compute_firewall", {"name": "Bad_Name", "allow": [{}]}, "doesn't match regexp"),
        ("google_compute_firewall", {"name": "ok", "allow": [{}], "deny": [{}]}, "only one of"),
        ("google_compute_firewall", {"name": "ok"}, "one of `allow,deny` must be specified"),
        ("google_dns_record_set", {"name": "a.example.com", "rrdatas": ["x"]}, "trailing dot"),
        ("azurerm_network_security_rule", {"priority": 99}, "range (100 - 4096)"),
        ("azurerm_lb_probe", {"interval_in_seconds": 4}, "to be at least (5), got 4"),
        ("azurerm_public_ip", {"allocation_method": "static"}, 'one of ["Static" "Dynamic"]'),
        ("digitalocean_firewall", {"inbound_rule": [{"protocol": "TCP"}]}, "got TCP"),
        ("digitalocean_record", {"type": "PTR"}, "got PTR"),
        ("digitalocean_vpc", {"ip_range": "10.0.0.0/33"}, "not a valid CIDR block"),
    ],
)
def test_other_platforms_constraints(type_name: str, config: dict[str, Any], part: str) -> None:
    assert any(part in m for m in _messages(type_name, config)), _messages(type_name, config)


def test_cross_attribute_kinds() -> None:
    assert _messages("aws_route53_record", {"ttl": 300, "alias": [{"name": "x"}]}) == [
        'Conflicting configuration arguments: "ttl": conflicts with alias',
        'Missing required argument: "ttl": all of `records,ttl` must be specified',
    ]
    rule = {"type": "ingress", "self": False, "cidr_blocks": ["10.0.0.0/8"]}
    assert _messages("aws_security_group_rule", rule) == [
        'Conflicting configuration arguments: "cidr_blocks": conflicts with self',
        'Conflicting configuration arguments: "self": conflicts with cidr_blocks',
    ]
    assert any("must be specified" in m for m in _messages("aws_security_group_rule", {}))


def test_plan_stage_rules_run_only_at_plan() -> None:
    config = {"health_check": [{"protocol": "TCP", "path": "/healthz"}]}
    assert check("aws_lb_target_group", config, "validate") == []
    [error] = check("aws_lb_target_group", config, "plan")
    assert error.summary == "Invalid Attribute Combination"
    assert error.path == ["health_check", 0, "path"]
    config["health_check"][0]["protocol"] = "HTTPS"
    assert check("aws_lb_target_group", config, "plan") == []


def test_cross_kinds_are_known() -> None:
    kinds = {c.kind for cs in CONSTRAINTS.values() for c in cs}
    assert {"conflicts_with", "exactly_one_of", "at_least_one_of", "required_with"} <= kinds
    assert set(CROSS_KINDS) <= kinds
