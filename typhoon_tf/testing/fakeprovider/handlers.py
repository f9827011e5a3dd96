"""Per-type behaviour on top of the generic value generator: real tls/random/external/local
results and plausible cloud data-source answers (AMI ids, zones, image self-links...)."""

from __future__ import annotations

import functools
import importlib
import json
import os
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typhoon_tf.testing.fakeprovider import catalog, external_real, local_real, random_real
from typhoon_tf.testing.fakeprovider.values import ACCOUNT_ID, PROJECT, SUBSCRIPTION, ValueGen

Handler = Callable[[dict[str, Any], ValueGen], dict[str, Any]]

# A JSON file {data source type: {attribute: value}}: answers that a recorded state holds
# (a migration test plans over a Typhoon user's state, whose data sources must read back the
# same values, or the plan shows changes that come from the fake rather than the modules).
RECORDED_DATA_ENV = "TYPHOON_TF_FAKE_RECORDED_DATA"


@functools.cache
def _recorded_data(path: str) -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = json.loads(Path(path).read_text())
    return loaded


def recorded_data_answer(type_name: str) -> dict[str, Any]:
    """The recorded attributes of `type_name`, or {} when none were recorded."""
    path = os.environ.get(RECORDED_DATA_ENV)
    if not path:
        return {}
    return dict(_recorded_data(path).get(type_name, {}))


def _only(func: Callable[[dict[str, Any]], dict[str, Any]]) -> Handler:
    return lambda planned, _gen: func(planned)


def _tls(name: str) -> Handler:
    """A `tls_real` function, imported on first use: `cryptography` is a large share of a
    fake's start-up, and only the tls provider's process needs it."""

    def handler(planned: dict[str, Any], _gen: ValueGen) -> dict[str, Any]:
        module = importlib.import_module("typhoon_tf.testing.fakeprovider.tls_real")
        result: dict[str, Any] = getattr(module, name)(planned)
        return result

    return handler


def _aws_ami(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    if recorded_data_answer("aws_ami"):
        return {}  # a recorded state's image answers (applied after the handlers)
    # The catalogue's image for the owners/filters/name_regex/most_recent sent.
    return catalog.ami_attributes(catalog.find_ami(config), gen.region)


def _aws_zones(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    return {
        "id": gen.region,
        "names": [gen.zone(i) for i in range(3)],
        "zone_ids": [f"use1-az{i + 1}" for i in range(3)],
    }


def _aws_route53_zone(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    zone_id = "Z" + gen.hex(("zone",), 13).upper()
    name = config.get("name") or "example.com"
    return {"id": zone_id, "zone_id": zone_id, "name": name.rstrip(".")}


def _aws_region(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    name = config.get("name") or gen.region
    return {"id": name, "name": name, "region": name, "endpoint": f"ec2.{name}.amazonaws.com"}


def _aws_caller_identity(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    return {
        "id": ACCOUNT_ID,
        "account_id": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/typhoon-fake",
        "user_id": "AIDAFAKEFAKEFAKEFAKE",
    }


def _aws_partition(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    return {"id": "aws", "partition": "aws", "dns_suffix": "amazonaws.com"}


def _aws_policy_document(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    statements = []
    for st in config.get("statement") or []:
        item: dict[str, Any] = {"Effect": st.get("effect") or "Allow"}
        if st.get("sid"):
            item["Sid"] = st["sid"]
        if st.get("actions"):
            item["Action"] = sorted(st["actions"])
        if st.get("resources"):
            item["Resource"] = sorted(st["resources"])
        principals = st.get("principals") or []
        if principals:
            item["Principal"] = {p["type"]: sorted(p["identifiers"]) for p in principals}
        statements.append(item)
    policy = {"Version": "2012-10-17", "Statement": statements}
    document = json.dumps(policy, indent=2)
    minified = json.dumps(policy, separators=(",", ":"))
    return {"id": str(zlib.crc32(document.encode())), "json": document, "minified_json": minified}


def _google_zones(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    region = config.get("region") or gen.region
    return {"id": f"projects/{PROJECT}/regions/{region}", "names": [f"{region}-{z}" for z in "abc"]}


def _google_image(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    if recorded_data_answer("google_compute_image"):
        return {}
    # The catalogue's image for the project and family (or name) sent.
    project, family, name = catalog.find_gce_image(config, PROJECT)
    link = f"https://www.googleapis.com/compute/v1/projects/{project}/global/images/{name}"
    image_id = f"projects/{project}/global/images/{name}"
    return {"id": image_id, "self_link": link, "name": name, "family": family, "project": project}


def _google_dns_zone(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    name = config.get("name") or "zone"
    return {"id": f"projects/{PROJECT}/managedZones/{name}", "dns_name": f"{name}.example.com."}


def _google_client_config(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    return {
        "id": PROJECT,
        "project": PROJECT,
        "region": gen.region,
        "zone": gen.zone(0),
        "access_token": "fake-token",
    }


def _azure_client_config(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    ids = {
        k: str(uuid.UUID(hex=gen.hex((k,), 32), version=4))
        for k in ("client_id", "tenant_id", "object_id")
    }
    return {**ids, "id": SUBSCRIPTION, "subscription_id": SUBSCRIPTION}


def _do_image(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    image_id = gen.number(("image",), 10_000_000, 99_999_999)
    return {"id": str(image_id), "image": str(image_id), "slug": config.get("slug") or ""}


def _null_data(config: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    return {"outputs": dict(config.get("inputs") or {}), "id": "static"}


def _kubernetes_manifest(planned: dict[str, Any]) -> dict[str, Any]:
    # `object` is the applied object as the API server returns it: a dynamic value (type and
    # value, which the decoded manifest already carries), here the manifest itself.
    return {"object": planned.get("manifest")}


def _null_resource(planned: dict[str, Any], gen: ValueGen) -> dict[str, Any]:
    return {"id": str(gen.number(("id",), 10**17, 10**18 - 1))}


RESOURCE_HANDLERS: dict[str, Handler] = {
    "tls_private_key": _tls("private_key"),
    "tls_self_signed_cert": _tls("self_signed_cert"),
    "tls_cert_request": _tls("cert_request"),
    "tls_locally_signed_cert": _tls("locally_signed_cert"),
    "random_password": _only(random_real.random_password),
    "random_string": _only(random_real.random_string),
    "random_id": _only(random_real.random_id),
    "random_integer": _only(random_real.random_integer),
    "random_uuid": _only(random_real.random_uuid),
    "random_shuffle": _only(random_real.random_shuffle),
    "random_pet": _only(random_real.random_pet),
    "local_file": _only(local_real.write_file),
    "local_sensitive_file": _only(local_real.write_file),
    "null_resource": _null_resource,
    "kubernetes_manifest": _only(_kubernetes_manifest),
}

DATA_HANDLERS: dict[str, Handler] = {
    "external": _only(external_real.read_external),
    "tls_public_key": _tls("public_key"),
    "local_file": _only(local_real.read_file),
    "local_sensitive_file": _only(local_real.read_file),
    "null_data_source": _null_data,
    "aws_ami": _aws_ami,
    "aws_availability_zones": _aws_zones,
    "aws_route53_zone": _aws_route53_zone,
    "aws_region": _aws_region,
    "aws_caller_identity": _aws_caller_identity,
    "aws_partition": _aws_partition,
    "aws_iam_policy_document": _aws_policy_document,
    "google_compute_zones": _google_zones,
    "google_compute_image": _google_image,
    "google_dns_managed_zone": _google_dns_zone,
    "google_client_config": _google_client_config,
    "azurerm_client_config": _azure_client_config,
    "digitalocean_image": _do_image,
}

# Every argument of these types is ForceNew in the real providers: a change replaces.
REPLACE_ON_ANY_CHANGE_PREFIXES = ("tls_", "random_", "matchbox_", "null_resource", "local_")
