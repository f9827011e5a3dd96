"""Fake image data sources honour the filters the modules send (architecture, names, owners,
most_recent, family/project) and fail like the real providers when nothing matches."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.testing.diagnostics import VerificationError
from typhoon_tf.testing.fakeprovider import catalog
from typhoon_tf.testing.fakeprovider.errors import ProviderError
from typhoon_tf.testing.harness import verify_module
from typhoon_tf.testing.terraform_bin import module_terraforms

ROOT = Path(__file__).resolve().parent.parent
FCOS = {"owners": [catalog.FCOS_OWNER], "most_recent": True}
FLATCAR = {"owners": [catalog.FLATCAR_OWNER], "most_recent": True}


def _filters(**values: str) -> list[dict[str, Any]]:
    return [{"name": k.replace("_", "-"), "values": [v]} for k, v in values.items()]


def test_aws_ami_answers_the_architecture_asked_for() -> None:
    for arch in ("x86_64", "arm64"):
        image = catalog.find_ami(
            {**FCOS, "filter": _filters(architecture=arch, description="Fedora CoreOS stable *")}
        )
        assert image.architecture == arch
        assert image.description == "Fedora CoreOS stable 41.20250130.3.0"  # the newest


def test_aws_ami_owner_name_and_regex_filters() -> None:
    image = catalog.find_ami({**FLATCAR, "filter": _filters(name="Flatcar-beta-*")})
    assert image.name == "Flatcar-beta-4186.1.0-hvm"
    regex = {**FLATCAR, "name_regex": r"^Flatcar-stable-4081\.", "filter": []}
    assert catalog.find_ami(regex).name == "Flatcar-stable-4081.2.1-hvm"
    with pytest.raises(ProviderError, match="Your query returned no results"):
        catalog.find_ami({**FCOS, "filter": _filters(name="Flatcar-*")})  # Fedora's account
    with pytest.raises(ProviderError, match="more than one result"):
        catalog.find_ami({"owners": [catalog.FCOS_OWNER], "filter": []})  # no most_recent


def test_google_image_family_and_project() -> None:
    project, family, name = catalog.find_gce_image({"family": "flatcar-beta"}, "kinvolk-public")
    assert (project, family) == ("kinvolk-public", "flatcar-beta")
    assert name == "flatcar-beta-4152-2-0-v20250211"
    with pytest.raises(ProviderError, match="was not found, notFound"):
        catalog.find_gce_image(
            {"project": "fedora-coreos-cloud", "family": "flatcar-stable"}, "other"
        )


# -- through Terraform, with the generated modules' own image lookups ------------------------

VERSIONS = 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n'


def _image_module(target: Path, os_name: str) -> None:
    """The generated AWS worker module's image.tf with the variables it reads."""
    target.mkdir(parents=True)
    shutil.copy(ROOT / "modules" / "aws" / os_name / "kubernetes" / "workers" / "image.tf", target)
    stream = "os_stream" if os_name == "fedora-coreos" else "os_image"
    (target / "variables.tf").write_text(
        f'variable "{stream}" {{\n  type = string\n}}\n\n'
        'variable "arch" {\n  type = string\n}\n\n'
        'variable "image_id" {\n  type    = string\n  default = null\n}\n'
    )
    (target / "outputs.tf").write_text('output "ami" {\n  value = one(data.aws_ami.worker[*])\n}\n')
    (target / "versions.tf").write_text(VERSIONS)


def _root(tmp_path: Path, calls: dict[str, tuple[str, str, str]]) -> Path:
    """A root module calling the image modules: name -> (os, stream variable value, arch)."""
    root = tmp_path / "root"
    root.mkdir()
    for os_name in ("fedora-coreos", "flatcar-linux"):
        _image_module(tmp_path / os_name, os_name)
    blocks = [VERSIONS]
    for name, (os_name, stream, arch) in calls.items():
        key = "os_stream" if os_name == "fedora-coreos" else "os_image"
        blocks.append(
            f'module "{name}" {{\n  source = "../{os_name}"\n'
            f'  {key} = "{stream}"\n  arch = "{arch}"\n}}\n\n'
            f'output "{name}" {{\n  value = module.{name}.ami\n}}\n'
        )
    (root / "main.tf").write_text("\n".join(blocks))
    return root


def _need_terraform() -> None:
    if not module_terraforms():
        pytest.fail("no Terraform that meets the modules' floor")


def test_the_modules_arm64_workers_get_arm64_images(tmp_path: Path) -> None:
    _need_terraform()
    root = _root(
        tmp_path,
        {
            "fcos_amd64": ("fedora-coreos", "stable", "amd64"),
            "fcos_arm64": ("fedora-coreos", "testing", "arm64"),
            "flatcar_arm64": ("flatcar-linux", "flatcar-beta", "arm64"),
        },
    )
    result = verify_module(root, {}, workdir=tmp_path / "work", apply=False, check_fmt=False)
    outputs = result.plan["planned_values"]["outputs"]
    found = {name: outputs[name]["value"] for name in outputs}
    assert found["fcos_amd64"]["architecture"] == "x86_64"
    assert found["fcos_amd64"]["description"].startswith("Fedora CoreOS stable ")
    assert found["fcos_arm64"]["architecture"] == "arm64"
    assert found["fcos_arm64"]["description"].startswith("Fedora CoreOS testing ")
    assert found["flatcar_arm64"]["name"] == "Flatcar-beta-4186.1.0-arm64-hvm"
    assert found["fcos_arm64"]["image_id"] != found["fcos_amd64"]["image_id"]


def test_a_stream_nothing_matches_fails_like_the_real_provider(tmp_path: Path) -> None:
    _need_terraform()
    root = _root(tmp_path, {"bogus": ("fedora-coreos", "stabel", "amd64")})
    with pytest.raises(VerificationError) as caught:
        verify_module(root, {}, workdir=tmp_path / "work", apply=False, check_fmt=False)
    assert caught.value.step == "plan"
    assert any("Your query returned no results" in s for s in caught.value.summaries())
