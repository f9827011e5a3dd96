"""Google Cloud lookups (optional extra `gcp`): project, Cloud DNS managed zone, images.

The checks talk to Google through the small `GcpClients` interface; `LibraryClients`
implements it with google-cloud-compute and google-cloud-dns (imported on first use), and
tests pass their own implementation.
"""

from __future__ import annotations

import importlib
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
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra("gcp", module) from None


NO_CREDENTIALS = (
    "no usable Google Cloud credentials (run `gcloud auth application-default login` "
    "or set GOOGLE_APPLICATION_CREDENTIALS)"
)


def _auth_errors() -> tuple[type[BaseException], ...]:
    """google-auth's error classes (DefaultCredentialsError, RefreshError, ...), looked up
    lazily: the extra may be missing, and then no such error can be raised either."""
    try:
        exceptions = importlib.import_module("google.auth.exceptions")
    except ImportError:
        return ()
    base = getattr(exceptions, "GoogleAuthError", None)
    return (base,) if isinstance(base, type) and issubclass(base, BaseException) else ()


def _api_errors() -> tuple[type[BaseException], ...]:
    try:
        exceptions = importlib.import_module("google.api_core.exceptions")
    except ImportError:
        return ()
    base = getattr(exceptions, "GoogleAPIError", None)
    return (base,) if isinstance(base, type) and issubclass(base, BaseException) else ()


def _problem(doing: str, err: BaseException) -> CloudProblem:
    if isinstance(err, _auth_errors()):
        return CloudProblem(f"cannot {doing}: {NO_CREDENTIALS}")
    return CloudProblem(f"cannot {doing}: {' '.join(str(err).split())}")


class LibraryClients:
    """`GcpClients` over the Google Cloud libraries (Application Default Credentials).

    Credential and API errors surface when a client is built or called; each method turns
    them into a `CloudProblem` naming what it was doing. `credentials` and the endpoints
    default to the libraries' own (ADC, googleapis.com); tests point them at a local server
    (`api_endpoint="http://127.0.0.1:PORT"`) with anonymous credentials.
    """

    def __init__(
        self,
        *,
        credentials: Any = None,
        compute_endpoint: str | None = None,
        dns_endpoint: str | None = None,
    ) -> None:
        self.credentials = credentials
        self.compute_endpoint = compute_endpoint
        self.dns_endpoint = dns_endpoint

    def _compute_client(self, compute: Any, name: str) -> Any:
        options = {"api_endpoint": self.compute_endpoint} if self.compute_endpoint else None
        try:
            return getattr(compute, name)(credentials=self.credentials, client_options=options)
        except _auth_errors() as err:  # no ADC: raised while building the client
            raise _problem("reach Google Cloud", err) from None

    def project_exists(self, project: str) -> bool:
        compute = _import("google.cloud.compute_v1")
        exceptions = _import("google.api_core.exceptions")
        client = self._compute_client(compute, "ProjectsClient")
        try:
            client.get(project=project)
        except exceptions.NotFound:
            return False
        except (*_auth_errors(), *_api_errors()) as err:
            raise _problem(f"read Google Cloud project {project!r}", err) from None
        return True

    def managed_zone_dns_name(self, project: str, zone_name: str) -> str | None:
        dns = _import("google.cloud.dns")
        options = {"api_endpoint": self.dns_endpoint} if self.dns_endpoint else None
        try:
            client = dns.Client(
                project=project, credentials=self.credentials, client_options=options
            )
            zone = client.zone(zone_name)
            if not zone.exists():
                return None
            zone.reload()
        except (*_auth_errors(), *_api_errors()) as err:
            raise _problem(f"read Cloud DNS zone {zone_name!r}", err) from None
        return str(zone.dns_name)

    def images_in_family(self, project: str, family: str) -> list[GcpImage]:
        compute = _import("google.cloud.compute_v1")
        request = compute.ListImagesRequest(project=project, filter=f'family = "{family}"')
        client = self._compute_client(compute, "ImagesClient")
        try:
            return [
                GcpImage(i.name, i.family, i.creation_timestamp, i.self_link)
                for i in client.list(request=request)
            ]
        except (*_auth_errors(), *_api_errors()) as err:
            raise _problem(f"list images of family {family!r}", err) from None


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
