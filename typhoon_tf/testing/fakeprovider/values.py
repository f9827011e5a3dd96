"""Walk schema-shaped values: mark computed attributes unknown, and fill unknowns with
deterministic, type-correct fake values chosen from the attribute's name and type."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from typing import Any

from tf.types import Unknown

from typhoon_tf.testing.fakeprovider.schema import JsonBlock

CtyType = Any  # "string" | ["list", T] | ["object", {...}] ...

ACCOUNT_ID = "123456789012"
DEFAULT_REGIONS = {"aws": "us-east-1", "google": "us-central1", "azurerm": "eastus"}
PROJECT = "typhoon-fake-project"
SUBSCRIPTION = "00000000-0000-4000-8000-000000000000"

# Short prefixes for AWS ids, so values look like the real thing ("vpc-0a1b...").
AWS_ID_PREFIX = {
    "aws_vpc": "vpc",
    "aws_subnet": "subnet",
    "aws_internet_gateway": "igw",
    "aws_egress_only_internet_gateway": "eigw",
    "aws_route_table": "rtb",
    "aws_route_table_association": "rtbassoc",
    "aws_main_route_table_association": "rtbassoc",
    "aws_security_group": "sg",
    "aws_security_group_rule": "sgrule",
    "aws_vpc_security_group_ingress_rule": "sgr",
    "aws_vpc_security_group_egress_rule": "sgr",
    "aws_instance": "i",
    "aws_launch_template": "lt",
    "aws_ebs_volume": "vol",
    "aws_eip": "eipalloc",
    "aws_eip_association": "eipassoc",
    "aws_nat_gateway": "nat",
    "aws_spot_instance_request": "sir",
    "aws_spot_fleet_request": "sfr",
    "aws_key_pair": "key",
    "aws_ami": "ami",
}


def digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def known_only(value: Any) -> Any:
    """`value` with every unknown replaced by null (what handlers compute from)."""
    if value is Unknown:
        return None
    if isinstance(value, dict):
        return {k: known_only(x) for k, x in value.items()}
    if isinstance(value, list):
        return [known_only(x) for x in value]
    return value


def canonical(value: Any) -> str:
    """Stable text for a decoded value (unknowns as null) to seed value generation."""
    return json.dumps(known_only(value), sort_keys=True, default=str)


# -- schema walkers -----------------------------------------------------------------------


def _nested_items(mode: str, value: Any) -> list[tuple[Any, Any]]:
    """(key, element) pairs of a nested-block value, for any nesting mode."""
    if value is None or value is Unknown:
        return []
    if mode in ("single", "group"):
        return [(None, value)]
    if mode == "map":
        return list(value.items())
    return list(enumerate(value))


def _rebuild(mode: str, value: Any, items: list[tuple[Any, Any]]) -> Any:
    if value is None or value is Unknown:
        return value
    if mode in ("single", "group"):
        return items[0][1]
    if mode == "map":
        return dict(items)
    return [v for _, v in items]


def mark_computed_unknown(block: JsonBlock, value: dict[str, Any]) -> dict[str, Any]:
    """Planned value on create: computed attributes the config left null become unknown."""
    out = dict(value)
    for name, attr in block.get("attributes", {}).items():
        if attr.get("computed") and out.get(name) is None:
            out[name] = Unknown
    for name, nested in block.get("block_types", {}).items():
        mode = nested["nesting_mode"]
        items = [
            (k, mark_computed_unknown(nested["block"], v) if isinstance(v, dict) else v)
            for k, v in _nested_items(mode, out.get(name))
        ]
        out[name] = _rebuild(mode, out.get(name), items)
    return out


def has_unknown(value: Any) -> bool:
    if value is Unknown:
        return True
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(has_unknown(v) for v in value)
    return False


def fill_unknowns(
    block: JsonBlock, value: dict[str, Any], gen: ValueGen, path: tuple[str, ...] = ()
) -> dict[str, Any]:
    out = dict(value)
    for name, attr in block.get("attributes", {}).items():
        if has_unknown(out.get(name)):
            out[name] = gen.fill(attr["type"], out.get(name), (*path, name))
    for name, nested in block.get("block_types", {}).items():
        mode = nested["nesting_mode"]
        items = [
            (k, fill_unknowns(nested["block"], v, gen, (*path, name, str(k))))
            if isinstance(v, dict)
            else (k, v)
            for k, v in _nested_items(mode, out.get(name))
        ]
        out[name] = _rebuild(mode, out.get(name), items)
    return out


# -- value generation ---------------------------------------------------------------------

_PUBLIC_NET = ipaddress.ip_network("203.0.113.0/24")


class ValueGen:
    """Deterministic fake values for one resource instance.

    Every value is derived from `seed` (type name + configuration + a uniquifier) and the
    attribute path, so the same configuration always yields the same values.
    """

    def __init__(self, provider: str, type_name: str, seed: str, region: str | None = None):
        self.provider = provider
        self.type_name = type_name
        self.seed = seed
        self.region = region or DEFAULT_REGIONS.get(provider, "region-1")

    def _hash(self, path: tuple[str, ...]) -> bytes:
        return digest(self.type_name, self.seed, *path)

    def hex(self, path: tuple[str, ...], length: int = 17) -> str:
        return self._hash(path).hex()[:length]

    def number(self, path: tuple[str, ...], low: int, high: int) -> int:
        return low + int.from_bytes(self._hash(path)[:8], "big") % (high - low + 1)

    def fill(self, ty: CtyType, current: Any, path: tuple[str, ...]) -> Any:
        """`current` with every unknown replaced by a generated value of type `ty`."""
        if current is Unknown:
            return self.generate(ty, path)
        if isinstance(ty, list) and isinstance(current, list):
            kind, inner = ty[0], ty[1]
            if kind in ("list", "set"):
                return [self.fill(inner, v, (*path, str(i))) for i, v in enumerate(current)]
            if kind == "tuple":
                return [
                    self.fill(t, v, (*path, str(i)))
                    for i, (t, v) in enumerate(zip(inner, current, strict=False))
                ]
        if isinstance(ty, list) and isinstance(current, dict):
            kind, inner = ty[0], ty[1]
            if kind == "map":
                return {k: self.fill(inner, v, (*path, k)) for k, v in current.items()}
            if kind == "object":
                return {k: self.fill(inner[k], v, (*path, k)) for k, v in current.items()}
        return current

    def generate(self, ty: CtyType, path: tuple[str, ...]) -> Any:
        name = path[-1] if path else ""
        if ty == "string" or ty == "dynamic":
            return self.string(name, path)
        if ty == "number":
            return self.number(path, 1000, 9999)
        if ty == "bool":
            return False
        kind, inner = ty[0], ty[1]
        if kind in ("list", "set"):
            return self.collection(name, inner, path)
        if kind == "map":
            return {}
        if kind == "object":
            return {k: self.generate(t, (*path, k)) for k, t in inner.items()}
        if kind == "tuple":
            return [self.generate(t, (*path, str(i))) for i, t in enumerate(inner)]
        raise ValueError(f"unsupported cty type {ty!r}")

    def collection(self, name: str, inner: CtyType, path: tuple[str, ...]) -> list[Any]:
        # Lists that modules index into (zones, name servers) get plausible members.
        if inner == "string" and name in ("names", "availability_zones", "zones"):
            return [self.zone(i) for i in range(3)]
        if inner == "string" and name == "name_servers":
            return [f"ns-{i}.fake-dns.example.net" for i in range(1, 5)]
        if inner == "string" and name in ("ids", "subnet_ids"):
            return [f"subnet-{self.hex((*path, str(i)))}" for i in range(3)]
        return []

    def zone(self, index: int) -> str:
        letter = "abc"[index % 3]
        if self.provider == "google":
            return f"{self.region}-{letter}"
        if self.provider == "azurerm":
            return str(index + 1)
        return f"{self.region}{letter}"

    def ip(self, name: str, path: tuple[str, ...]) -> str:
        if "ipv6" in name:
            return f"2001:db8::{self.hex(path, 4)}"
        if "private" in name or name.startswith(("internal", "network_ip")):
            h = self._hash(path)
            return f"10.{h[0]}.{h[1]}.{h[2] % 253 + 1}"
        return str(_PUBLIC_NET[self.number(path, 1, 254)])

    def id(self, path: tuple[str, ...]) -> str:
        if self.provider == "aws":
            prefix = AWS_ID_PREFIX.get(self.type_name, self.type_name.removeprefix("aws_"))
            return f"{prefix}-{self.hex(path)}"
        if self.provider == "google":
            kind = self.type_name.removeprefix("google_")
            return f"projects/{PROJECT}/{kind}/{kind}-{self.hex(path, 8)}"
        if self.provider == "azurerm":
            kind = self.type_name.removeprefix("azurerm_")
            return (
                f"/subscriptions/{SUBSCRIPTION}/resourceGroups/fake-rg/providers/"
                f"Microsoft.Fake/{kind}/{kind}-{self.hex(path, 8)}"
            )
        # digitalocean, null, matchbox...: numeric ids like the real providers use.
        return str(self.number(path, 10_000_000, 99_999_999))

    def string(self, name: str, path: tuple[str, ...]) -> str:
        h = self.hex(path, 12)
        if name == "id":
            return self.id(path)
        if name == "arn" or name.endswith("_arn"):
            service = {"aws_iam": "iam", "aws_lb": "elasticloadbalancing", "aws_s3": "s3"}
            svc = next((v for k, v in service.items() if self.type_name.startswith(k)), "ec2")
            kind = self.type_name.removeprefix("aws_")
            return f"arn:aws:{svc}:{self.region}:{ACCOUNT_ID}:{kind}/{self.hex(path)}"
        if "cidr" in name:
            if "ipv6" in name:
                return f"2001:db8:{self.hex(path, 4)}::/56"
            return f"10.{self.number(path, 0, 255)}.0.0/16"
        if re.search(
            r"(^|_)(ip|ips|ip_address|ipv4_address|ipv6_address|address|nat_ip)$", name
        ) or (name.endswith("_ip") or "ipv4_address" in name):
            return self.ip(name, path)
        if name in ("owner_id", "account_id"):
            return ACCOUNT_ID
        if name in ("zone_id", "hosted_zone_id"):
            return "Z" + self.hex(path, 13).upper()
        if name in ("dns_name", "fqdn", "hostname", "public_dns", "private_dns"):
            return f"{h}.fake.example.net"
        if name == "self_link" or name.endswith("_self_link"):
            kind = self.type_name.removeprefix("google_")
            return f"https://www.googleapis.com/compute/v1/projects/{PROJECT}/global/{kind}/{h}"
        if name == "urn":
            return (
                f"do:{self.type_name.removeprefix('digitalocean_')}:{self.number(path, 1, 10**8)}"
            )
        if name in ("region", "location"):
            return self.region
        if name in ("availability_zone", "zone"):
            return self.zone(0)
        if name in ("project", "project_id"):
            return PROJECT
        if name.endswith(("_at", "_time", "timestamp", "_date")):
            return "2026-01-01T00:00:00Z"
        if any(k in name for k in ("fingerprint", "etag", "hash", "sha", "md5", "checksum")):
            return self._hash(path).hex()[:40]
        if name.endswith(("status", "state")):
            return "active"
        if name in ("image_id", "ami"):
            return f"ami-{self.hex(path)}"
        return f"{name or 'value'}-{h}"
