"""The AWS entries of provider_facts.yaml `force_new:` checked against the REAL hashicorp/aws.

For every AWS resource type in the table and every top-level force-new attribute, one
resource is planned (`-refresh=false`, the EC2 stub refusing any API call) over a state in
which only that attribute differs from the configuration: the real provider must plan a
replacement naming it. A few attributes our modules change on day 2 (instance_type,
user_data, image_id, tags...) are planned the same way and must update in place. Nested
paths and force-new blocks are covered by the fakes' own tests, not here (a state for them
needs the provider's full nested defaults).

All cases share one root module, one state and one plan, so the real provider (~600 MB)
starts once per Terraform command.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.testing.ec2_stub import Ec2Stub, provider_override
from typhoon_tf.testing.fakeprovider.force_new import load_table
from typhoon_tf.testing.harness import _Runner, shared_terraform_home
from typhoon_tf.testing.mirror import build_mirror, discover_real_providers
from typhoon_tf.testing.terraform_bin import module_terraforms, terraform_env

pytestmark = pytest.mark.slow

REAL_AWS = any(
    p.address.endswith("/hashicorp/aws") and p.version == "5.100.0"
    for p in discover_real_providers()
)
REGION = "eu-central-1"
PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'
ARN = "arn:aws:elasticloadbalancing:eu-central-1:123456789012"
TG_A, TG_B = f"{ARN}:targetgroup/a/0123456789abcdef", f"{ARN}:targetgroup/b/0123456789abcdef"
LB_A, LB_B = (
    f"{ARN}:loadbalancer/net/a/0123456789abcdef",
    f"{ARN}:loadbalancer/net/b/0123456789abcdef",
)

# The smallest valid configuration of each type (nested blocks: lists of dicts).
BASE: dict[str, dict[str, Any]] = {
    "aws_autoscaling_group": {
        "name": "tempest-worker",
        "min_size": 1,
        "max_size": 3,
        "launch_template": [{"id": "lt-0123456789abcdef0", "version": "$Latest"}],
    },
    "aws_instance": {"ami": "ami-0123456789abcdef0", "instance_type": "t3.small"},
    "aws_launch_template": {"name": "tempest-worker", "image_id": "ami-0123456789abcdef0"},
    "aws_lb": {
        "name": "tempest-nlb",
        "load_balancer_type": "network",
        "internal": False,
        "subnets": ["subnet-0123456789abcdef0"],
    },
    "aws_lb_listener": {
        "load_balancer_arn": LB_A,
        "protocol": "TCP",
        "port": 6443,
        "default_action": [{"type": "forward", "target_group_arn": TG_A}],
    },
    "aws_lb_target_group": {
        "name": "tempest-controllers",
        "vpc_id": "vpc-0123456789abcdef0",
        "protocol": "TCP",
        "port": 6443,
        "target_type": "instance",
    },
    "aws_lb_target_group_attachment": {
        "target_group_arn": TG_A,
        "target_id": "i-0123456789abcdef0",
        "port": 6443,
    },
    "aws_route": {
        "route_table_id": "rtb-0123456789abcdef0",
        "destination_cidr_block": "0.0.0.0/0",
        "gateway_id": "igw-0123456789abcdef0",
    },
    "aws_route53_record": {
        "zone_id": "Z0123456789ABCDEFGHIJ",
        "name": "tempest.example.com",
        "type": "A",
        "ttl": 300,
        "records": ["192.0.2.1"],
    },
    "aws_route_table": {"vpc_id": "vpc-0123456789abcdef0"},
    "aws_route_table_association": {
        "route_table_id": "rtb-0123456789abcdef0",
        "subnet_id": "subnet-0123456789abcdef0",
    },
    "aws_security_group": {
        "name": "tempest-controller",
        "description": "tempest controller",
        "vpc_id": "vpc-0123456789abcdef0",
    },
    "aws_security_group_rule": {
        "security_group_id": "sg-0123456789abcdef0",
        "type": "ingress",
        "protocol": "tcp",
        "from_port": 22,
        "to_port": 22,
        "prefix_list_ids": ["pl-0123456789abcdef0"],
    },
    "aws_subnet": {"vpc_id": "vpc-0123456789abcdef0", "cidr_block": "10.0.0.0/20"},
    "aws_vpc": {"cidr_block": "10.0.0.0/16"},
}

# (type, attribute) -> (value in the state, value in the configuration). Where an attribute
# needs others set or unset, `ADJUST` gives the base changes for that case.
VALUES: dict[tuple[str, str], tuple[Any, Any]] = {
    ("aws_autoscaling_group", "name"): ("tempest-worker", "tempest-worker2"),
    ("aws_autoscaling_group", "name_prefix"): ("tempest-a-", "tempest-b-"),
    ("aws_instance", "ami"): ("ami-0123456789abcdef0", "ami-0fedcba9876543210"),
    ("aws_instance", "associate_public_ip_address"): (False, True),
    ("aws_instance", "availability_zone"): ("eu-central-1a", "eu-central-1b"),
    ("aws_instance", "cpu_core_count"): (1, 2),
    ("aws_instance", "cpu_threads_per_core"): (1, 2),
    ("aws_instance", "ebs_optimized"): (False, True),
    ("aws_instance", "hibernation"): (False, True),
    ("aws_instance", "host_id"): ("h-0123456789abcdef0", "h-0fedcba9876543210"),
    ("aws_instance", "ipv6_addresses"): (["2001:db8::1"], ["2001:db8::2"]),
    ("aws_instance", "key_name"): ("tempest-a", "tempest-b"),
    ("aws_instance", "placement_group"): ("tempest-a", "tempest-b"),
    ("aws_instance", "placement_partition_number"): (1, 2),
    ("aws_instance", "private_ip"): ("10.0.0.10", "10.0.0.11"),
    ("aws_instance", "security_groups"): (["tempest-a"], ["tempest-b"]),
    ("aws_instance", "subnet_id"): ("subnet-0123456789abcdef0", "subnet-0fedcba9876543210"),
    ("aws_instance", "tenancy"): ("default", "dedicated"),
    ("aws_launch_template", "name"): ("tempest-worker", "tempest-worker2"),
    ("aws_launch_template", "name_prefix"): ("tempest-a-", "tempest-b-"),
    ("aws_lb", "customer_owned_ipv4_pool"): ("ipv4pool-coip-0123", "ipv4pool-coip-0fed"),
    ("aws_lb", "internal"): (False, True),
    ("aws_lb", "load_balancer_type"): ("network", "application"),
    ("aws_lb", "name"): ("tempest-nlb", "tempest-nlb2"),
    ("aws_lb", "name_prefix"): ("tma-", "tmb-"),
    ("aws_lb_listener", "load_balancer_arn"): (LB_A, LB_B),
    ("aws_lb_target_group", "ip_address_type"): ("ipv4", "ipv6"),
    ("aws_lb_target_group", "name"): ("tempest-controllers", "tempest-controllers2"),
    ("aws_lb_target_group", "name_prefix"): ("tma-", "tmb-"),
    ("aws_lb_target_group", "port"): (6443, 6444),
    ("aws_lb_target_group", "protocol"): ("TCP", "TLS"),
    ("aws_lb_target_group", "protocol_version"): ("HTTP1", "HTTP2"),
    ("aws_lb_target_group", "target_type"): ("instance", "ip"),
    ("aws_lb_target_group", "vpc_id"): ("vpc-0123456789abcdef0", "vpc-0fedcba9876543210"),
    ("aws_lb_target_group_attachment", "availability_zone"): ("eu-central-1a", "all"),
    ("aws_lb_target_group_attachment", "port"): (6443, 6444),
    ("aws_lb_target_group_attachment", "target_group_arn"): (TG_A, TG_B),
    ("aws_lb_target_group_attachment", "target_id"): ("i-0123456789abcdef0", "i-0fedcba98765"),
    ("aws_route", "destination_cidr_block"): ("0.0.0.0/0", "10.0.0.0/8"),
    ("aws_route", "destination_ipv6_cidr_block"): ("::/0", "2001:db8::/32"),
    ("aws_route", "destination_prefix_list_id"): ("pl-0123456789abcdef0", "pl-0fedcba98765"),
    ("aws_route", "route_table_id"): ("rtb-0123456789abcdef0", "rtb-0fedcba9876543210"),
    ("aws_route53_record", "name"): ("tempest.example.com", "nova.example.com"),
    ("aws_route53_record", "zone_id"): ("Z0123456789ABCDEFGHIJ", "Z0FEDCBA987654321ABCD"),
    ("aws_route_table", "vpc_id"): ("vpc-0123456789abcdef0", "vpc-0fedcba9876543210"),
    ("aws_route_table_association", "gateway_id"): ("igw-0123456789abcdef0", "igw-0fedcba98"),
    ("aws_route_table_association", "subnet_id"): ("subnet-0123456789abcdef0", "subnet-0fed"),
    ("aws_security_group", "description"): ("tempest controller", "tempest controllers"),
    ("aws_security_group", "name"): ("tempest-controller", "tempest-controller2"),
    ("aws_security_group", "name_prefix"): ("tempest-a-", "tempest-b-"),
    ("aws_security_group", "vpc_id"): ("vpc-0123456789abcdef0", "vpc-0fedcba9876543210"),
    ("aws_security_group_rule", "cidr_blocks"): (["10.0.0.0/8"], ["10.0.0.0/16"]),
    ("aws_security_group_rule", "from_port"): (22, 23),
    ("aws_security_group_rule", "ipv6_cidr_blocks"): (["::/0"], ["2001:db8::/32"]),
    ("aws_security_group_rule", "prefix_list_ids"): (["pl-0123456789abcdef0"], ["pl-0fed"]),
    ("aws_security_group_rule", "protocol"): ("tcp", "udp"),
    ("aws_security_group_rule", "security_group_id"): ("sg-0123456789abcdef0", "sg-0fedcba98"),
    ("aws_security_group_rule", "self"): (False, True),
    ("aws_security_group_rule", "source_security_group_id"): ("sg-0aaaaaaaaaa", "sg-0bbbbbbbbbb"),
    ("aws_security_group_rule", "to_port"): (22, 23),
    ("aws_security_group_rule", "type"): ("ingress", "egress"),
    ("aws_subnet", "availability_zone"): ("eu-central-1a", "eu-central-1b"),
    ("aws_subnet", "availability_zone_id"): ("euc1-az2", "euc1-az3"),
    ("aws_subnet", "cidr_block"): ("10.0.0.0/20", "10.0.16.0/20"),
    ("aws_subnet", "ipv6_native"): (False, True),
    ("aws_subnet", "outpost_arn"): (
        "arn:aws:outposts:eu-central-1:123456789012:outpost/op-0123456789abcdef0",
        "arn:aws:outposts:eu-central-1:123456789012:outpost/op-0fedcba9876543210",
    ),
    ("aws_subnet", "vpc_id"): ("vpc-0123456789abcdef0", "vpc-0fedcba9876543210"),
    ("aws_vpc", "cidr_block"): ("10.0.0.0/16", "10.1.0.0/16"),
    ("aws_vpc", "ipv4_ipam_pool_id"): ("ipam-pool-0123456789abcdef0", "ipam-pool-0fedcba98765"),
    ("aws_vpc", "ipv4_netmask_length"): (16, 20),
}
# Base changes some cases need (None removes an attribute).
ADJUST: dict[tuple[str, str], dict[str, Any]] = {
    ("aws_autoscaling_group", "name_prefix"): {"name": None},
    ("aws_launch_template", "name_prefix"): {"name": None},
    ("aws_lb", "name_prefix"): {"name": None},
    ("aws_lb_target_group", "name_prefix"): {"name": None},
    ("aws_lb_target_group", "protocol_version"): {"protocol": "HTTP"},
    ("aws_lb_target_group", "ip_address_type"): {"target_type": "ip"},
    ("aws_security_group", "name_prefix"): {"name": None},
    ("aws_route", "destination_ipv6_cidr_block"): {"destination_cidr_block": None},
    ("aws_route", "destination_prefix_list_id"): {"destination_cidr_block": None},
    ("aws_route_table_association", "gateway_id"): {"subnet_id": None},
    ("aws_security_group_rule", "cidr_blocks"): {"prefix_list_ids": None},
    ("aws_security_group_rule", "ipv6_cidr_blocks"): {"prefix_list_ids": None},
    ("aws_security_group_rule", "source_security_group_id"): {"prefix_list_ids": None},
    ("aws_subnet", "ipv6_native"): {"cidr_block": None, "ipv6_cidr_block": "2001:db8::/64"},
    ("aws_vpc", "ipv4_ipam_pool_id"): {"cidr_block": None, "ipv4_netmask_length": 16},
    ("aws_vpc", "ipv4_netmask_length"): {
        "cidr_block": None,
        "ipv4_ipam_pool_id": "ipam-pool-0123456789abcdef0",
    },
}
# What a real apply stores for computed attributes that are also ForceNew: left null, the
# provider plans them "known after apply" and replaces for them, whatever the case changes.
STATE_EXTRA: dict[str, dict[str, Any]] = {
    "aws_instance": {"security_groups": [], "ipv6_addresses": [], "ipv6_address_count": 0},
    "aws_vpc": {"instance_tenancy": "default"},
    "aws_subnet": {"ipv6_native": False},
    "aws_security_group_rule": {"self": False},
}
STATE_CASE_EXTRA: dict[tuple[str, str], dict[str, Any]] = {
    ("aws_instance", "ipv6_address_count"): {"ipv6_addresses": ["2001:db8::1"]},
    ("aws_instance", "ipv6_addresses"): {"ipv6_address_count": 1},
}
# Day-2 changes our modules make that the real provider updates in place.
UPDATES: dict[tuple[str, str], tuple[Any, Any]] = {
    ("aws_instance", "instance_type"): ("t3.small", "t3.medium"),
    # Was in force_new.yaml from memory; 5.100.0 assigns addresses in place.
    ("aws_instance", "ipv6_address_count"): (1, 2),
    ("aws_instance", "user_data"): ("{}", '{"ignition":{}}'),
    ("aws_launch_template", "image_id"): ("ami-0123456789abcdef0", "ami-0fedcba9876543210"),
    ("aws_autoscaling_group", "max_size"): (3, 4),
    ("aws_lb", "enable_cross_zone_load_balancing"): (False, True),
    ("aws_route53_record", "ttl"): (300, 60),
    ("aws_security_group_rule", "description"): ("ssh", "ssh from anywhere"),
    ("aws_subnet", "map_public_ip_on_launch"): (False, True),
    ("aws_vpc", "enable_dns_hostnames"): (False, True),
}


def _top_level_cases() -> dict[str, tuple[str, str]]:
    """Resource name -> (type, attribute) for every top-level force-new attribute."""
    cases: dict[str, tuple[str, str]] = {}
    for type_name, rules in sorted(load_table().items()):
        if type_name.startswith("aws_"):
            for path in rules.force_new:
                if (type_name, path) in VALUES:
                    cases[f"{type_name}__{path}"] = (type_name, path)
    return cases


def test_every_top_level_aws_entry_has_values_or_is_a_block() -> None:
    blocks = {"ephemeral_block_device", "launch_template", "private_dns_name_options"}
    blocks |= {"subnet_mapping"}
    missing = [
        f"{t}.{p}"
        for t, rules in load_table().items()
        if t.startswith("aws_")
        for p in rules.force_new
        if "." not in p and p not in blocks and (t, p) not in VALUES
    ]
    assert missing == []


def _hcl(value: Any, indent: str) -> Iterator[str]:
    for key, item in value.items():
        if item is None:
            continue
        if isinstance(item, list) and item and isinstance(item[0], dict):
            for block in item:
                yield f"{indent}{key} {{"
                yield from _hcl(block, indent + "  ")
                yield f"{indent}}}"
        else:
            yield f"{indent}{key} = {json.dumps(item)}"


def _write_case_module(root: Path, cases: dict[str, tuple[str, str, Any, Any]]) -> None:
    lines = ['terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}']
    lines.append(f'provider "aws" {{\n  region = "{REGION}"\n}}')
    for name, (type_name, attribute, _, new) in cases.items():
        body = {**BASE[type_name], **ADJUST.get((type_name, attribute), {}), attribute: new}
        lines.append(f'resource "{type_name}" "{name}" {{')
        lines += _hcl(body, "  ")
        lines.append("}")
    (root / "main.tf").write_text("\n".join(lines) + "\n")


def _state(cases: dict[str, tuple[str, str, Any, Any]], versions: dict[str, int]) -> Any:
    resources = []
    for name, (type_name, attribute, old, _) in cases.items():
        attrs = {
            **STATE_EXTRA.get(type_name, {}),
            **STATE_CASE_EXTRA.get((type_name, attribute), {}),
            **BASE[type_name],
            **ADJUST.get((type_name, attribute), {}),
            attribute: old,
        }
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["id"] = f"{name}-id"
        instance = {"schema_version": versions[type_name], "attributes": attrs}
        resources.append(
            {
                "mode": "managed",
                "type": type_name,
                "name": name,
                "provider": PROVIDER,
                "instances": [{**instance, "sensitive_attributes": []}],
            }
        )
    return {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": "0b7a9e1c-force-new-real-aws",
        "outputs": {},
        "resources": resources,
    }


@pytest.fixture(scope="module")
def real_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not REAL_AWS:
        if os.environ.get("CI") == "true":
            pytest.fail("CI machines carry the real hashicorp/aws 5.100.0 provider; it is missing")
        pytest.skip("no real hashicorp/aws 5.100.0 provider in a local filesystem mirror")
    binaries = module_terraforms()
    if not binaries:
        pytest.fail("no Terraform that meets the modules' floor")
    workspace = tmp_path_factory.mktemp("force-new-real")
    root = workspace / "root"
    root.mkdir()
    cases = {n: (t, a, *VALUES[(t, a)]) for n, (t, a) in _top_level_cases().items()}
    cases |= {f"{t}__{a}": (t, a, *values) for (t, a), values in UPDATES.items()}
    _write_case_module(root, cases)
    mirror = build_mirror(workspace / "mirror", {"hashicorp/aws": "5.100.0"}, allow_real_cloud=True)
    assert mirror.choice("aws").kind == "real"
    cli_config = workspace / "terraformrc"
    cli_config.write_text(mirror.cli_config_text())
    runner = _Runner(
        binaries[0], root, terraform_env(cli_config, shared_terraform_home()), {}, None, str
    )
    runner.run("init", ["init", "-input=false", "-no-color"])
    schemas = json.loads(runner.run("schemas", ["providers", "schema", "-json"]).stdout)
    aws = schemas["provider_schemas"]["registry.terraform.io/hashicorp/aws"]["resource_schemas"]
    versions = {t: int(aws[t].get("version", 0)) for t in BASE}
    (root / "terraform.tfstate").write_text(json.dumps(_state(cases, versions), indent=1))
    with Ec2Stub({}, REGION).running() as stub:
        (root / "ec2_stub_override.tf").write_text(provider_override(stub.url))
        args = ["plan", "-input=false", "-no-color", "-refresh=false", "-out=real.tfplan"]
        runner.run("plan", args)
    shown: dict[str, Any] = json.loads(runner.run("show", ["show", "-json", "real.tfplan"]).stdout)
    shutil.rmtree(workspace / "mirror", ignore_errors=True)
    return shown


def _changes(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rc["name"]: rc["change"] for rc in plan["resource_changes"]}


def test_each_force_new_attribute_replaces_with_the_real_provider(
    real_plan: dict[str, Any],
) -> None:
    changes = _changes(real_plan)
    wrong = []
    for name, (_, attribute) in _top_level_cases().items():
        change = changes[name]
        replaced = set(change["actions"]) == {"delete", "create"}
        if not replaced or [attribute] not in (change.get("replace_paths") or []):
            wrong.append(f"{name}: {change['actions']} {change.get('replace_paths')}")
    print(f"\n{len(_top_level_cases())} force-new attributes checked on the real provider")
    assert wrong == [], "force_new entries the real provider does not replace on"


def test_day_two_changes_update_in_place_with_the_real_provider(
    real_plan: dict[str, Any],
) -> None:
    changes = _changes(real_plan)
    assert {f"{t}__{a}": changes[f"{t}__{a}"]["actions"] for t, a in UPDATES} == {
        f"{t}__{a}": ["update"] for t, a in UPDATES
    }
