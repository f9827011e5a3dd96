"""The AWS switch from Typhoon planned with the REAL hashicorp/aws provider, where present.

The real provider knows which attribute changes force replacement (the fakes do not). It
reads `aws_ami` / `aws_availability_zones` from EC2 even with `-refresh=false`, so a local
stub (typhoon_tf.testing.ec2_stub) answers those with the values the state recorded.

The fixture states were written by fake providers, which left a few attributes null where
the real provider stores a default or a normalised value; left as they are, the real
provider would replace the VPC (and everything in it) over `instance_tenancy` alone.
`as_real_provider_stores` fills in exactly those values before planning.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from uninstallable import NO_REAL_AWS_PROVIDER

from typhoon_tf.fsutil import write_tree_atomic
from typhoon_tf.generate.modules_tree import modules_for
from typhoon_tf.generate.platform_module import ModuleRequest
from typhoon_tf.testing.ec2_stub import Ec2Stub, provider_override
from typhoon_tf.testing.migration import plan_migration, recorded_data_values
from typhoon_tf.testing.mirror import discover_real_providers

REAL_AWS = [
    p
    for p in discover_real_providers()
    if p.address.endswith("/hashicorp/aws") and p.version.startswith("5.")
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not REAL_AWS, reason=NO_REAL_AWS_PROVIDER),
]

FIXTURES = Path(__file__).parent / "data" / "typhoon-migration"


def as_real_provider_stores(state: dict[str, Any]) -> dict[str, Any]:
    """Fill in the values a real apply would have stored where the fakes left null."""
    for resource in state["resources"]:
        for instance in resource["instances"]:
            attrs = instance["attributes"]
            kind = resource["type"]
            if kind == "aws_vpc" and attrs.get("instance_tenancy") is None:
                attrs["instance_tenancy"] = "default"
            elif kind == "aws_subnet" and attrs.get("ipv6_native") is None:
                attrs["ipv6_native"] = False
            elif kind == "aws_security_group_rule" and attrs.get("self") is None:
                attrs["self"] = False
            elif kind == "aws_route53_record":  # the provider stores names without the dot
                attrs["name"] = attrs["name"].rstrip(".")
    return state


@pytest.mark.parametrize("os_name", ["fedora-coreos", "flatcar-linux"])
def test_switch_with_the_real_aws_provider(tmp_path: Path, os_name: str) -> None:
    fixture = tmp_path / "fixture"
    shutil.copytree(FIXTURES / f"aws-{os_name}", fixture)
    state_file = fixture / "terraform.tfstate"
    state_file.chmod(0o644)
    state = as_real_provider_stores(json.loads(state_file.read_text()))
    state_file.write_text(json.dumps(state, indent=2))
    modules = tmp_path / "modules"
    write_tree_atomic(modules, modules_for(ModuleRequest(platform="aws", os=os_name)))

    with Ec2Stub(recorded_data_values(state), "eu-central-1").running() as stub:
        (fixture / "ec2_stub_override.tf").write_text(provider_override(stub.url))
        plan = plan_migration(fixture, modules, tmp_path / "work", allow_real_cloud=True)
    print(f"aws-{os_name} (real aws provider): {plan.counts()}; EC2 calls {stub.calls}")

    assert "DescribeImages" in stub.calls and "DescribeAvailabilityZones" in stub.calls
    assert [c.describe() for c in plan.destructive()] == []
    rules = [c for c in plan.changes() if c.type == "aws_security_group_rule"]
    assert sum(c.action == "move" for c in rules) == 34
    assert all(c.action in ("move", "no-op") for c in rules), [c.describe() for c in rules]
    for change in plan.changes():
        if change.type == "aws_instance":
            assert change.action in ("no-op", "update"), change.describe()
            assert "user_data" not in change.changed and "ami" not in change.changed
