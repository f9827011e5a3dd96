"""The fake clouds' image catalogue, and image data sources that honour the module's filters.

A data source that answered any query with the same x86_64 image would let an arm64 worker
pool or a misspelt owner, stream or family pass unnoticed. These answer from a small
catalogue of the images the modules look up (Fedora CoreOS and Flatcar, each stream, x86_64
and arm64), apply the filters the way the real providers do, and fail like them when
nothing matches (the fixtures' values are invented; the matching rules are the providers').
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from typhoon_tf.testing.fakeprovider.errors import ProviderError

FCOS_OWNER = "125523088429"  # Fedora's AWS account
FLATCAR_OWNER = "075585003325"  # Kinvolk's (Flatcar's) AWS account
AMAZON_OWNER = "137112412989"
OWNER_ALIASES = {"amazon": AMAZON_OWNER}

# The aws provider's messages (internal/service/ec2/ec2_ami_data_source.go).
NO_RESULTS = "Your query returned no results. Please change your search criteria and try again."
MANY_RESULTS = (
    "Your query returned more than one result. Please try a more specific search criteria, "
    "or set `most_recent` attribute to true."
)


@dataclass(frozen=True)
class Ami:
    name: str
    description: str
    owner_id: str
    architecture: str  # EC2's names: x86_64, arm64
    creation_date: str
    virtualization_type: str = "hvm"
    root_device_type: str = "ebs"
    state: str = "available"

    def image_id(self, region: str) -> str:
        return "ami-" + hashlib.sha256(f"{region}/{self.name}".encode()).hexdigest()[:17]

    def filter_value(self, name: str) -> str | None:
        """The value EC2's DescribeImages filter `name` compares against."""
        return {
            "name": self.name,
            "description": self.description,
            "owner-id": self.owner_id,
            "architecture": self.architecture,
            "virtualization-type": self.virtualization_type,
            "root-device-type": self.root_device_type,
            "state": self.state,
        }.get(name)


def _fcos(stream: str, version: str, arch: str, date: str) -> Ami:
    machine = "aarch64" if arch == "arm64" else "x86_64"
    return Ami(
        name=f"fedora-coreos-{version}-{machine}",
        description=f"Fedora CoreOS {stream} {version}",
        owner_id=FCOS_OWNER,
        architecture=arch,
        creation_date=date,
    )


def _flatcar(channel: str, version: str, arch: str, date: str) -> Ami:
    suffix = "-arm64-hvm" if arch == "arm64" else "-hvm"
    return Ami(
        name=f"Flatcar-{channel}-{version}{suffix}",
        description=f"Flatcar Container Linux {channel} {version}",
        owner_id=FLATCAR_OWNER,
        architecture=arch,
        creation_date=date,
    )


# Two releases per stream, so `most_recent` has something to choose between.
AMIS: tuple[Ami, ...] = tuple(
    image
    for arch in ("x86_64", "arm64")
    for image in (
        _fcos("stable", "41.20250117.3.0", arch, "2025-02-03T19:03:17.000Z"),
        _fcos("stable", "41.20250130.3.0", arch, "2025-02-17T18:55:52.000Z"),
        _fcos("testing", "41.20250214.2.0", arch, "2025-02-18T11:20:40.000Z"),
        _fcos("next", "42.20250217.1.0", arch, "2025-02-19T09:12:05.000Z"),
        _flatcar("stable", "4081.2.1", arch, "2025-01-09T13:44:21.000Z"),
        _flatcar("stable", "4152.2.0", arch, "2025-02-11T15:08:33.000Z"),
        _flatcar("beta", "4186.1.0", arch, "2025-02-11T15:10:02.000Z"),
        _flatcar("alpha", "4230.0.0", arch, "2025-02-11T15:12:45.000Z"),
    )
)


def _owners_match(image: Ami, owners: Sequence[str]) -> bool:
    if not owners:
        return True
    wanted = {OWNER_ALIASES.get(o, o) for o in owners}
    return image.owner_id in wanted


def _filters_match(image: Ami, filters: Sequence[Mapping[str, Any]]) -> bool:
    # EC2: every filter must match; within one, any value (with * and ? wildcards).
    for entry in filters:
        actual = image.filter_value(str(entry.get("name")))
        values = [str(v) for v in entry.get("values") or []]
        if actual is None or not any(fnmatch.fnmatchcase(actual, v) for v in values):
            return False
    return True


def find_ami(config: Mapping[str, Any]) -> Ami:
    """The image `data "aws_ami"` would read, or the provider's error."""
    owners = list(config.get("owners") or [])
    filters = list(config.get("filter") or [])
    found = [i for i in AMIS if _owners_match(i, owners) and _filters_match(i, filters)]
    name_regex = config.get("name_regex")
    if name_regex:
        found = [i for i in found if re.search(str(name_regex), i.name)]
    if not found:
        raise ProviderError(NO_RESULTS)
    if len(found) > 1 and not config.get("most_recent"):
        raise ProviderError(MANY_RESULTS)
    return max(found, key=lambda i: i.creation_date)


def ami_attributes(image: Ami, region: str) -> dict[str, Any]:
    ami = image.image_id(region)
    return {
        "id": ami,
        "image_id": ami,
        "name": image.name,
        "description": image.description,
        "owner_id": image.owner_id,
        "architecture": image.architecture,
        "creation_date": image.creation_date,
        "virtualization_type": image.virtualization_type,
        "root_device_type": image.root_device_type,
        "root_device_name": "/dev/xvda",
        "state": image.state,
        "image_location": f"{image.owner_id}/{image.name}",
    }


# -- Google Compute Engine images ---------------------------------------------------------------

# project -> family -> image names, oldest first (the family answers with the newest).
GCE_FAMILIES: dict[str, dict[str, tuple[str, ...]]] = {
    "fedora-coreos-cloud": {
        f"fedora-coreos-{stream}{arch}": (
            f"fedora-coreos-{stream}-41-20250117-3-0{arch}",
            f"fedora-coreos-{stream}-41-20250130-3-0{arch}",
        )
        for stream in ("stable", "testing", "next")
        for arch in ("", "-arm64")
    },
    "kinvolk-public": {
        f"flatcar-{channel}{arch}": (
            f"flatcar-{channel}-4081-2-1-v20250109{arch}",
            f"flatcar-{channel}-4152-2-0-v20250211{arch}",
        )
        for channel in ("stable", "beta", "alpha", "lts")
        for arch in ("", "-arm64")
    },
}


def _gce_images(project: str) -> Iterator[tuple[str, str]]:
    for family, names in GCE_FAMILIES.get(project, {}).items():
        for name in names:
            yield family, name


def find_gce_image(config: Mapping[str, Any], default_project: str) -> tuple[str, str, str]:
    """(project, family, name) of the image `data "google_compute_image"` would read."""
    project = str(config.get("project") or default_project)
    family, name = config.get("family"), config.get("name")
    if family:
        names = GCE_FAMILIES.get(project, {}).get(str(family))
        if not names:
            where = f"projects/{project}/global/images/family/{family}"
            raise ProviderError(
                f"error retrieving image information: googleapi: Error 404: The resource "
                f"'{where}' was not found, notFound"
            )
        return project, str(family), names[-1]
    for image_family, image_name in _gce_images(project):
        if image_name == name:
            return project, image_family, image_name
    where = f"projects/{project}/global/images/{name}"
    raise ProviderError(
        f"error retrieving image information: googleapi: Error 404: The resource '{where}' "
        "was not found, notFound"
    )
