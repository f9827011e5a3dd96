"""AWS lookups with boto3 (optional extra `aws`): credentials, the Route53 zone, AMIs.

boto3 is imported inside each function, so importing this module costs nothing and a
machine without the extra gets an install hint instead of an ImportError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict

from typhoon_tf.cloud.errors import CloudProblem, MissingExtra

ARCHES = {"amd64": "x86_64", "arm64": "arm64", "x86_64": "x86_64"}
# The one interpolation in platform.yaml's image `pattern`; it evaluates to the OS channel.
_CHANNEL_EXPR = re.compile(r"\$\{[^}]*\}")


class AwsSession(Protocol):
    """What typhoon-tf uses of a `boto3.Session` (boto3 has no type information, so the
    clients it makes stay untyped)."""

    @property
    def region_name(self) -> str | None: ...

    def get_credentials(self) -> object | None: ...

    def client(self, service_name: str, *, region_name: str | None = None) -> Any: ...


def _import(module: str) -> Any:
    # importlib keeps boto3 (untyped, optional) out of the type checker's import graph.
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra("aws", "boto3") from None


def _boto3() -> Any:
    return _import("boto3")


def _botocore_errors() -> tuple[type[Exception], type[Exception]]:
    exceptions = _import("botocore.exceptions")
    return exceptions.BotoCoreError, exceptions.ClientError


NO_CREDENTIALS = (
    "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
    "AWS_SECRET_ACCESS_KEY, or run `aws configure`)"
)


def _reason(err: Exception) -> str:
    """botocore's error as one line; missing credentials get the fix."""
    if type(err).__name__ == "NoCredentialsError":
        return NO_CREDENTIALS
    return " ".join(str(err).split())


def session(region: str | None = None, profile: str | None = None) -> AwsSession:
    boto3 = _boto3()
    BotoCoreError, _ = _botocore_errors()  # noqa: N806
    try:
        sess: AwsSession = boto3.Session(region_name=region, profile_name=profile)
    except BotoCoreError as err:  # e.g. ProfileNotFound
        raise CloudProblem(f"cannot use the AWS configuration: {err}") from None
    return sess


def check_credentials(sess: AwsSession) -> str:
    """The caller's ARN; `CloudProblem` when no credentials resolve or AWS rejects them."""
    BotoCoreError, ClientError = _botocore_errors()  # noqa: N806
    if sess.get_credentials() is None:
        raise CloudProblem(NO_CREDENTIALS)
    try:
        identity = sess.client(
            "sts", region_name=sess.region_name or "us-east-1"
        ).get_caller_identity()
    except (BotoCoreError, ClientError) as err:
        raise CloudProblem(f"AWS rejected the credentials: {err}") from None
    arn: str = identity["Arn"]
    return arn


def check_hosted_zone(sess: AwsSession, zone_id: str, dns_zone: str) -> None:
    """The Route53 zone `zone_id` exists and is the zone for `dns_zone`."""
    BotoCoreError, ClientError = _botocore_errors()  # noqa: N806
    try:
        client = sess.client("route53", region_name=sess.region_name or "us-east-1")
        zone = client.get_hosted_zone(Id=zone_id)["HostedZone"]
    except ClientError as err:
        code = getattr(err, "response", {}).get("Error", {}).get("Code", "")
        if code in ("NoSuchHostedZone", "InvalidInput"):
            raise CloudProblem(
                f"Route53 has no hosted zone with id {zone_id!r} (dns_zone_id); "
                "list yours with `aws route53 list-hosted-zones`"
            ) from None
        raise CloudProblem(f"cannot read Route53 zone {zone_id!r}: {err}") from None
    except BotoCoreError as err:
        raise CloudProblem(f"cannot read Route53 zone {zone_id!r}: {_reason(err)}") from None
    actual = str(zone["Name"]).rstrip(".").lower()
    if actual != dns_zone.rstrip(".").lower():
        raise CloudProblem(
            f"dns_zone_id {zone_id!r} is the zone for {actual!r}, but dns_zone is {dns_zone!r}"
        )
    if zone.get("Config", {}).get("PrivateZone"):
        raise CloudProblem(
            f"Route53 zone {zone_id!r} ({actual}) is private; the cluster needs a public zone"
        )


@dataclass(frozen=True)
class Image:
    id: str
    name: str
    created: str
    arch: str
    description: str = ""


class Filter(TypedDict):
    """One of EC2 DescribeImages' `Filters`."""

    Name: str
    Values: list[str]


def _image_filters(os_name: str, channel: str, arch: str) -> tuple[str, list[Filter]]:
    if arch not in ARCHES:
        raise CloudProblem(f"unknown architecture {arch!r} (use amd64 or arm64)")
    filters: list[Filter] = [
        {"Name": "architecture", "Values": [ARCHES[arch]]},
        {"Name": "virtualization-type", "Values": ["hvm"]},
    ]
    owner, match, pattern = image_source(os_name)
    filters.append({"Name": match, "Values": [_CHANNEL_EXPR.sub(lambda _: channel, pattern)]})
    return owner, filters


def image_source(os_name: str) -> tuple[str, str, str]:
    """(owner, filter name, pattern) of the OS's AMIs, from the AWS platform description,
    the same data the generated `aws_ami` lookups are written from."""
    from typhoon_tf.platforms import load_platform

    images: dict[str, dict[str, str]] = load_platform("aws").extra["images"]
    if os_name not in images:
        raise CloudProblem(f"unknown os {os_name!r} ({' or '.join(images)})")
    source = images[os_name]
    return source["owner"], source["match"], source["pattern"]


def list_images(sess: AwsSession, os_name: str, channel: str, arch: str = "amd64") -> list[Image]:
    """Matching AMIs in the session's region, newest first."""
    owner, filters = _image_filters(os_name, channel, arch)
    BotoCoreError, ClientError = _botocore_errors()  # noqa: N806
    try:
        client = sess.client("ec2", region_name=sess.region_name or "us-east-1")
        found = client.describe_images(Owners=[owner], Filters=filters)["Images"]
    except (BotoCoreError, ClientError) as err:
        raise CloudProblem(f"cannot list {os_name} AMIs: {_reason(err)}") from None
    images = [
        Image(
            img["ImageId"],
            img.get("Name", ""),
            img.get("CreationDate", ""),
            img.get("Architecture", ""),
            img.get("Description", ""),
        )
        for img in found
    ]
    return sorted(images, key=lambda i: (i.created, i.id), reverse=True)
