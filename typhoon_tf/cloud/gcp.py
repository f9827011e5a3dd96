"""Google Cloud lookups (optional extra `gcp`): project, Cloud DNS managed zone, images.

The checks talk to Google through the small `GcpClients` interface; `LibraryClients`
implements it with google-cloud-compute and google-cloud-dns (imported on first use), and
tests pass their own implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from typhoon_tf.cloud.errors import CloudProblem, MissingExtra

# Image projects and families (Typhoon's google_compute_image lookups).
FCOS_PROJECT = "fedora-coreos-cloud"
FLATCAR_PROJECT = "kinvolk-public"


@dataclass(frozen=True)
class GcpImage:
    name: str
    family: str
    created: str
    self_link: str


class GcpClients(Protocol):
    def project_exists(self, project: str) -> bool: ...

    def managed_zone_dns_name(self, project: str, zone_name: str) -> str | None: ...

    def images_in_family(self, project: str, family: str) -> list[GcpImage]: ...


def _import(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra("gcp", module) from None


class LibraryClients:
    """`GcpClients` over the Google Cloud libraries (Application Default Credentials)."""

    def project_exists(self, project: str) -> bool:
        compute = _import("google.cloud.compute_v1")
        exceptions = _import("google.api_core.exceptions")
        try:
            compute.ProjectsClient().get(project=project)
        except exceptions.NotFound:
            return False
        except exceptions.GoogleAPICallError as err:
            raise CloudProblem(f"cannot read Google Cloud project {project!r}: {err}") from None
        return True

    def managed_zone_dns_name(self, project: str, zone_name: str) -> str | None:
        dns = _import("google.cloud.dns")
        zone = dns.Client(project=project).zone(zone_name)
        if not zone.exists():
            return None
        zone.reload()
        return str(zone.dns_name)

    def images_in_family(self, project: str, family: str) -> list[GcpImage]:
        compute = _import("google.cloud.compute_v1")
        request = compute.ListImagesRequest(project=project, filter=f'family = "{family}"')
        return [
            GcpImage(i.name, i.family, i.creation_timestamp, i.self_link)
            for i in compute.ImagesClient().list(request=request)
        ]


def check_project_and_zone(
    project: str | None,
    zone_name: str | None,
    dns_zone: str | None,
    clients: GcpClients | None = None,
) -> None:
    """The project exists and holds the managed zone `zone_name` serving `dns_zone`."""
    clients = clients or LibraryClients()
    if not project:
        raise CloudProblem(
            "no Google Cloud project: set `project` in the google provider block "
            "(or GOOGLE_PROJECT)"
        )
    if not clients.project_exists(project):
        raise CloudProblem(f"Google Cloud project {project!r} does not exist or is not visible")
    if not zone_name:
        return
    dns_name = clients.managed_zone_dns_name(project, zone_name)
    if dns_name is None:
        raise CloudProblem(
            f"project {project!r} has no Cloud DNS managed zone named {zone_name!r} "
            "(dns_zone_name); list them with `gcloud dns managed-zones list`"
        )
    if dns_zone and dns_name.rstrip(".").lower() != dns_zone.rstrip(".").lower():
        raise CloudProblem(
            f"managed zone {zone_name!r} serves {dns_name.rstrip('.')!r}, "
            f"but dns_zone is {dns_zone!r}"
        )


def image_family(os_name: str, channel: str, arch: str = "amd64") -> tuple[str, str]:
    """(image project, family) for an OS channel, as Typhoon looks them up."""
    suffix = {"amd64": "", "x86_64": "", "arm64": "-arm64"}.get(arch)
    if suffix is None:
        raise CloudProblem(f"unknown architecture {arch!r} (use amd64 or arm64)")
    if os_name == "fedora-coreos":
        return FCOS_PROJECT, f"fedora-coreos-{channel}{suffix}"
    if os_name == "flatcar-linux":
        return FLATCAR_PROJECT, f"flatcar-{channel}{suffix}"
    raise CloudProblem(f"unknown os {os_name!r} (fedora-coreos or flatcar-linux)")


def list_images(
    os_name: str, channel: str, arch: str = "amd64", clients: GcpClients | None = None
) -> list[GcpImage]:
    """Images of the OS channel's family, newest first."""
    project, family = image_family(os_name, channel, arch)
    images = (clients or LibraryClients()).images_in_family(project, family)
    return sorted(images, key=lambda i: (i.created, i.name), reverse=True)
