"""Google Cloud preflight and image lookups through a stubbed `GcpClients`."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from typhoon_tf.cloud import CloudProblem, gcp, resolve_image
from typhoon_tf.cloud.gcp import GcpImage
from typhoon_tf.driver.preflight import (
    PreflightContext,
    PreflightError,
    PreflightUnchecked,
    check_gcp,
    run_preflight,
)
from typhoon_tf.driver.rootmodule import read_root_settings

DATA = Path(__file__).parent / "data" / "driver"


@dataclass
class StubGoogle:
    """What a Google account holds: projects, managed zones, images by (project, family)."""

    projects: set[str] = field(default_factory=set)
    zones: dict[tuple[str, str], str] = field(default_factory=dict)
    images: dict[tuple[str, str], list[GcpImage]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def project_exists(self, project: str) -> bool:
        self.calls.append(f"project {project}")
        return project in self.projects

    def managed_zone_dns_name(self, project: str, zone_name: str) -> str | None:
        self.calls.append(f"zone {project}/{zone_name}")
        return self.zones.get((project, zone_name))

    def images_in_family(self, project: str, family: str) -> list[GcpImage]:
        self.calls.append(f"images {project}/{family}")
        return list(self.images.get((project, family), []))


def _ctx(stub: StubGoogle) -> PreflightContext:
    return PreflightContext(read_root_settings(DATA / "gcp_root"), gcp_clients=stub, env={})


def test_settings_name_the_project_and_zone() -> None:
    settings = read_root_settings(DATA / "gcp_root")
    assert settings.platform == "google-cloud"
    assert settings.provider["project"] == "typhoon-prod"
    assert settings.get("dns_zone_name") == "example-zone"


def test_missing_project_is_reported() -> None:
    stub = StubGoogle()
    with pytest.raises(PreflightError) as err:
        check_gcp(_ctx(stub))
    assert "preflight gcp: Google Cloud project 'typhoon-prod' does not exist" in str(err.value)
    assert stub.calls == ["project typhoon-prod"]


def test_missing_managed_zone_is_reported() -> None:
    stub = StubGoogle(projects={"typhoon-prod"}, zones={("typhoon-prod", "other"): "x.com."})
    with pytest.raises(PreflightError) as err:
        check_gcp(_ctx(stub))
    assert "has no Cloud DNS managed zone named 'example-zone'" in str(err.value)


def test_zone_serving_another_domain_is_reported() -> None:
    stub = StubGoogle(
        projects={"typhoon-prod"}, zones={("typhoon-prod", "example-zone"): "elsewhere.org."}
    )
    with pytest.raises(PreflightError, match="serves 'elsewhere.org', but dns_zone is"):
        check_gcp(_ctx(stub))


def test_matching_project_and_zone_pass() -> None:
    stub = StubGoogle(
        projects={"typhoon-prod"},
        zones={("typhoon-prod", "example-zone"): "google-cloud.example.com."},
    )
    ran = run_preflight(_ctx(stub), skip={"tree", "terraform", "ssh-agent"})
    assert ran == ["gcp"]  # the aws check does not apply to a Google Cloud root
    assert stub.calls == ["project typhoon-prod", "zone typhoon-prod/example-zone"]


def test_without_google_libraries_the_check_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("google.cloud.compute_v1", "google.cloud.dns", "google.api_core.exceptions"):
        monkeypatch.setitem(sys.modules, name, None)
    warnings: list[str] = []
    ctx = PreflightContext(read_root_settings(DATA / "gcp_root"), env={}, warn=warnings.append)
    with pytest.raises(PreflightUnchecked) as err:
        check_gcp(ctx)  # no stub: the real library clients are used
    assert "[gcp]'" in str(err.value) and "typhoon-tf[gcp]" not in str(err.value)
    # Run as a preflight: a warning naming what was not checked, and the command goes on.
    assert run_preflight(ctx, skip={"tree", "terraform", "ssh-agent"}) == []
    assert ctx.unchecked == ["gcp"]
    assert warnings == [
        "preflight gcp: not checked (the Google Cloud project and the Cloud DNS zone "
        f"dns_zone_name): {str(err.value).split('): ', 1)[1]}"
    ]


def test_image_families_follow_typhoon() -> None:
    assert gcp.image_family("fedora-coreos", "stable") == (
        "fedora-coreos-cloud",
        "fedora-coreos-stable",
    )
    assert gcp.image_family("fedora-coreos", "next", "arm64") == (
        "fedora-coreos-cloud",
        "fedora-coreos-next-arm64",
    )
    assert gcp.image_family("flatcar-linux", "beta") == ("kinvolk-public", "flatcar-beta")
    with pytest.raises(CloudProblem):
        gcp.image_family("ubuntu", "stable")


def test_resolve_image_picks_the_newest_of_the_family() -> None:
    link = "https://www.googleapis.com/compute/v1/projects/fedora-coreos-cloud/global/images/"
    family = ("fedora-coreos-cloud", "fedora-coreos-stable")
    stub = StubGoogle(
        images={
            family: [
                GcpImage(
                    "fcos-40-1", "fedora-coreos-stable", "2026-10-01T00:00:00Z", link + "fcos-40-1"
                ),
                GcpImage(
                    "fcos-40-3", "fedora-coreos-stable", "2026-11-01T00:00:00Z", link + "fcos-40-3"
                ),
                GcpImage(
                    "fcos-40-2", "fedora-coreos-stable", "2026-10-15T00:00:00Z", link + "fcos-40-2"
                ),
            ]
        }
    )
    assert (
        resolve_image("google-cloud", "fedora-coreos", None, gcp_clients=stub) == link + "fcos-40-3"
    )
    names = [i.name for i in gcp.list_images("fedora-coreos", "stable", clients=stub)]
    assert names == ["fcos-40-3", "fcos-40-2", "fcos-40-1"]
    with pytest.raises(CloudProblem, match="no flatcar-linux stable amd64 image"):
        resolve_image("google-cloud", "flatcar-linux", "stable", gcp_clients=stub)
