"""A local stand-in for the EC2 API, so the real hashicorp/aws provider can plan offline.

Even with `-refresh=false`, Terraform reads data sources during a plan: the real provider
asks EC2 for `aws_ami` (DescribeImages) and `aws_availability_zones`
(DescribeAvailabilityZones). `Ec2Stub` answers those two calls with the values a state
recorded (`migration.recorded_data_values`) and refuses every other call, recording it, so a
test can tell what the provider tried. `provider_override` is a `*_override.tf` text that
points the provider at the stub with dummy credentials and no account/metadata lookups.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/"
# Services the provider might contact while planning: all of them go to the stub, which
# refuses what it does not serve instead of letting a request leave the machine.
STUBBED_SERVICES = ("ec2", "elbv2", "route53", "autoscaling", "sts", "iam")

# aws_ami attribute -> DescribeImages item element.
_IMAGE_FIELDS = {
    "image_id": "imageId",
    "image_location": "imageLocation",
    "state": "imageState",
    "owner_id": "imageOwnerId",
    "creation_date": "creationDate",
    "public": "isPublic",
    "architecture": "architecture",
    "image_type": "imageType",
    "name": "name",
    "description": "description",
    "image_owner_alias": "imageOwnerAlias",
    "kernel_id": "kernelId",
    "ramdisk_id": "ramdiskId",
    "root_device_type": "rootDeviceType",
    "root_device_name": "rootDeviceName",
    "virtualization_type": "virtualizationType",
    "hypervisor": "hypervisor",
    "platform_details": "platformDetails",
    "usage_operation": "usageOperation",
    "boot_mode": "bootMode",
    "tpm_support": "tpmSupport",
    "imds_support": "imdsSupport",
    "sriov_net_support": "sriovNetSupport",
    "ena_support": "enaSupport",
    "last_launched_time": "lastLaunchedTime",
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _element(name: str, value: Any) -> str:
    return f"<{name}>{_text(value)}</{name}>"


def describe_images(ami: Mapping[str, Any]) -> str:
    fields = "".join(
        _element(element, ami[attr])
        for attr, element in _IMAGE_FIELDS.items()
        if ami.get(attr) not in (None, "")
    )
    return f"<imagesSet><item>{fields}<blockDeviceMapping/></item></imagesSet>"


def describe_availability_zones(zones: Mapping[str, Any], region: str) -> str:
    names: list[str] = list(zones.get("names") or [])
    ids: list[str] = list(zones.get("zone_ids") or [])
    items = []
    for i, name in enumerate(names):
        zone_id = ids[i] if i < len(ids) else f"{region}-az{i + 1}"
        items.append(
            "<item>"
            + _element("zoneName", name)
            + _element("zoneId", zone_id)
            + _element("zoneState", "available")
            + _element("regionName", region)
            + _element("groupName", region)
            + _element("networkBorderGroup", region)
            + _element("optInStatus", "opt-in-not-required")
            + _element("zoneType", "availability-zone")
            + "<messageSet/></item>"
        )
    return f"<availabilityZoneInfo>{''.join(items)}</availabilityZoneInfo>"


class Ec2Stub:
    """Answers DescribeImages / DescribeAvailabilityZones with recorded data-source values."""

    def __init__(self, recorded: Mapping[str, Mapping[str, Any]], region: str) -> None:
        self.recorded = recorded
        self.region = region
        self.calls: list[str] = []
        self.refused: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the stub is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def respond(self, action: str) -> tuple[int, str]:
        """(HTTP status, XML body) for one EC2 Query API action."""
        self.calls.append(action)
        request_id = str(uuid.uuid4())
        if action == "DescribeImages" and "aws_ami" in self.recorded:
            body = describe_images(self.recorded["aws_ami"])
        elif action == "DescribeAvailabilityZones" and "aws_availability_zones" in self.recorded:
            body = describe_availability_zones(self.recorded["aws_availability_zones"], self.region)
        else:
            self.refused.append(action)
            error = (
                "<Response><Errors><Error><Code>UnsupportedOperation</Code>"
                f"<Message>the EC2 stub does not serve {escape(action)}</Message>"
                f"</Error></Errors><RequestID>{request_id}</RequestID></Response>"
            )
            return 400, error
        return 200, (
            f'<{action}Response xmlns="{NAMESPACE}"><requestId>{request_id}</requestId>'
            f"{body}</{action}Response>"
        )

    @contextmanager
    def running(self) -> Iterator[Ec2Stub]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                action = (form.get("Action") or [f"POST {self.path}"])[0]
                self._reply(*stub.respond(action))

            def do_GET(self) -> None:  # noqa: N802
                self._reply(*stub.respond(f"GET {self.path}"))

            def _reply(self, status: int, body: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join()
            self._server = None


def provider_override(url: str) -> str:
    """A `*_override.tf` body: the root module's aws provider talks to the stub only."""
    endpoints = "\n".join(f'    {name} = "{url}"' for name in STUBBED_SERVICES)
    return (
        'provider "aws" {\n'
        '  access_key                  = "AKIAEXAMPLEOFFLINE00"\n'
        '  secret_key                  = "offline-plan-only"\n'
        "  skip_credentials_validation = true\n"
        "  skip_requesting_account_id  = true\n"
        "  skip_metadata_api_check     = true\n"
        "  skip_region_validation      = true\n"
        "  max_retries                 = 1\n"
        "  endpoints {\n"
        f"{endpoints}\n"
        "  }\n"
        "}\n"
    )
