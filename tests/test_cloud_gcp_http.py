"""cloud/gcp.py with the real google-cloud-compute and google-cloud-dns clients against a
local HTTP server of Google API responses (tests/data/gcp_api), as boto3 runs against
moto: requests, paging, 404s, auth failures and missing credentials, through the same
`LibraryClients` the driver's preflight and `typhoon-tf images` use."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("google.cloud.compute_v1", reason="google-cloud-compute (test extra)")
pytest.importorskip("google.cloud.dns", reason="google-cloud-dns (test extra)")

from google.auth.credentials import AnonymousCredentials  # noqa: E402

from typhoon_tf.cloud import CloudProblem, gcp  # noqa: E402
from typhoon_tf.cloud.gcp import LibraryClients  # noqa: E402
from typhoon_tf.driver.preflight import PreflightContext, run_preflight  # noqa: E402
from typhoon_tf.driver.rootmodule import read_root_settings  # noqa: E402

API = Path(__file__).parent / "data" / "gcp_api"
DATA = Path(__file__).parent / "data" / "driver"
IMAGES = "/compute/v1/projects/fedora-coreos-cloud/global/images"


def _recorded(name: str, **fill: str) -> str:
    text = (API / name).read_text()
    for key, value in fill.items():
        text = text.replace("{" + key + "}", value)
    return text


@dataclass
class GoogleApi:
    """What the server knows: projects, zones; `unauthenticated` projects answer 401."""

    projects: set[str] = field(default_factory=lambda: {"typhoon-prod"})
    zones: set[tuple[str, str]] = field(default_factory=lambda: {("typhoon-prod", "example-zone")})
    unauthenticated: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str]:
        parts = path.strip("/").split("/")
        project = parts[3] if len(parts) > 3 else ""
        if project in self.unauthenticated:
            return 401, _recorded("unauthenticated.json")
        if path == IMAGES:
            return self._images(query)
        if parts[:3] == ["compute", "v1", "projects"] and len(parts) == 4:
            if project in self.projects:
                return 200, _recorded("project.json").replace("typhoon-prod", project)
            return 404, _recorded("not_found.json", project=project)
        if parts[:3] == ["dns", "v1", "projects"] and parts[4:5] == ["managedZones"]:
            if (project, parts[5]) in self.zones:
                return 200, _recorded("managed_zone.json")
            return 404, _recorded("not_found.json", project=f"{project}/{parts[5]}")
        return 404, _recorded("not_found.json", project=path)

    def _images(self, query: dict[str, list[str]]) -> tuple[int, str]:
        if query.get("filter") != ['family = "fedora-coreos-stable"']:
            return 200, json.dumps({"kind": "compute#imageList", "items": []})
        page = "images_page2.json" if query.get("pageToken") else "images_page1.json"
        return 200, _recorded(page)


def _handler(api: GoogleApi) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urllib.parse.urlsplit(self.path)
            api.requests.append(url.path)
            status, body = api.answer(url.path, urllib.parse.parse_qs(url.query))
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output clean

    return Handler


@pytest.fixture
def google() -> Iterator[tuple[GoogleApi, LibraryClients]]:
    api = GoogleApi()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    clients = LibraryClients(
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        compute_endpoint=endpoint,
        dns_endpoint=endpoint,
    )
    try:
        yield api, clients
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_project_and_zone_are_read_through_the_real_clients(
    google: tuple[GoogleApi, LibraryClients],
) -> None:
    api, clients = google
    gcp.check_project_and_zone("typhoon-prod", "example-zone", "google-cloud.example.com", clients)
    assert api.requests == [
        "/compute/v1/projects/typhoon-prod",
        "/dns/v1/projects/typhoon-prod/managedZones/example-zone",  # exists()
        "/dns/v1/projects/typhoon-prod/managedZones/example-zone",  # reload()
    ]


def test_a_missing_project_is_a_404_and_says_so(google: tuple[GoogleApi, LibraryClients]) -> None:
    _, clients = google
    with pytest.raises(CloudProblem, match="project 'nope' does not exist or is not visible"):
        gcp.check_project_and_zone("nope", None, None, clients)


def test_a_missing_or_mismatched_zone_names_the_setting(
    google: tuple[GoogleApi, LibraryClients],
) -> None:
    _, clients = google
    with pytest.raises(CloudProblem, match="no Cloud DNS managed zone named 'other'"):
        gcp.check_project_and_zone("typhoon-prod", "other", "google-cloud.example.com", clients)
    with pytest.raises(
        CloudProblem, match="serves 'google-cloud.example.com', but dns_zone is 'example.org'"
    ):
        gcp.check_project_and_zone("typhoon-prod", "example-zone", "example.org", clients)


def test_images_of_a_family_are_listed_across_pages_newest_first(
    google: tuple[GoogleApi, LibraryClients],
) -> None:
    api, clients = google
    images = gcp.list_images("fedora-coreos", "stable", clients=clients)
    assert [i.name for i in images] == [
        "fedora-coreos-40-20240906-3-0-gcp-x86-64",
        "fedora-coreos-40-20240808-3-0-gcp-x86-64",
    ]
    assert images[0].family == "fedora-coreos-stable"
    assert images[0].self_link.endswith("/global/images/fedora-coreos-40-20240906-3-0-gcp-x86-64")
    assert api.requests == [IMAGES, IMAGES]  # the second page, by nextPageToken


def test_the_driver_preflight_runs_the_gcp_check_against_the_server(
    google: tuple[GoogleApi, LibraryClients],
) -> None:
    api, clients = google
    ctx = PreflightContext(read_root_settings(DATA / "gcp_root"), env={}, gcp_clients=clients)
    assert run_preflight(ctx, skip={"tree", "terraform", "ssh-agent"}) == ["gcp"]
    assert api.requests[0] == "/compute/v1/projects/typhoon-prod"


def test_an_unauthenticated_answer_names_the_credentials_fix(
    google: tuple[GoogleApi, LibraryClients],
) -> None:
    api, clients = google
    api.unauthenticated.add("typhoon-prod")
    with pytest.raises(CloudProblem) as err:
        gcp.check_project_and_zone("typhoon-prod", None, None, clients)
    # A 401 means the credentials are not usable: the message gives the same fix.
    assert str(err.value) == (
        f"cannot read Google Cloud project 'typhoon-prod': {gcp.NO_CREDENTIALS}"
    )


@pytest.fixture
def no_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No Application Default Credentials anywhere, and no metadata-server probe: google-auth
    would otherwise try the GCE metadata address, which is no address of this machine."""
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT", "GOOGLE_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NO_GCE_CHECK", "True")


@pytest.mark.usefixtures("no_credentials")
def test_without_credentials_the_real_client_fails_with_the_fix() -> None:
    with pytest.raises(CloudProblem) as err:
        LibraryClients().project_exists("typhoon-prod")
    assert str(err.value) == f"cannot reach Google Cloud: {gcp.NO_CREDENTIALS}"


@pytest.mark.usefixtures("no_credentials")
def test_plan_without_credentials_is_one_line_exit_2_and_touches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from typhoon_tf.cli import main

    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text((DATA / "gcp_root" / "main.tf").read_text())
    rc = main(["plan", "-C", str(root), "--skip-preflight", "terraform,ssh-agent"])
    assert rc == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"typhoon-tf: error: preflight gcp: cannot reach Google Cloud: {gcp.NO_CREDENTIALS} "
        "(skip this check with --skip-preflight gcp)"
    )
    assert "Traceback" not in err
    assert sorted(p.name for p in root.iterdir()) == ["main.tf"]
