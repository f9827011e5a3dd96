"""`generate --pin-images`: AMI ids resolved once (moto stands in for EC2) and written into
the root module; a pinned module plans without any AMI lookup."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import boto3
import moto
import pytest
from test_cloud_aws import _image, clean_aws_env  # noqa: F401  (fixture)

from typhoon_tf.cloud import aws
from typhoon_tf.cloud.pin import os_channel, pin_images
from typhoon_tf.config import example_config
from typhoon_tf.errors import UserError
from typhoon_tf.generate import generate


@pytest.fixture
def fcos_amis(
    clean_aws_env: None,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[aws.AwsSession]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", aws.image_source("fedora-coreos")[0])
    with moto.mock_aws():
        yield boto3.Session(region_name="us-east-1")


def test_channel_comes_from_the_os_variable() -> None:
    assert os_channel(example_config("aws", "fedora-coreos")) == "stable"
    flatcar = example_config("aws", "flatcar-linux")
    beta = replace(flatcar, variables=dict(flatcar.variables, os_image="flatcar-beta"))
    assert os_channel(beta) == "beta"


def test_pins_each_role_by_its_architecture(fcos_amis: aws.AwsSession, tmp_path: Path) -> None:
    ec2 = fcos_amis.client("ec2")
    amd = _image(ec2, "x86_64", "fedora-coreos-40-x86_64", "Fedora CoreOS stable 40")
    arm = _image(ec2, "arm64", "fedora-coreos-40-aarch64", "Fedora CoreOS stable 40")
    config = example_config("aws")
    config = replace(config, variables=dict(config.variables, worker_arch="arm64"))

    pinned = pin_images(config, aws_session=fcos_amis)

    assert pinned.variables["controller_image_id"] == amd
    assert pinned.variables["worker_image_id"] == arm
    out = generate(pinned, tmp_path / "cluster")
    main_tf = (out / "main.tf").read_text()
    assert f'controller_image_id = "{amd}"' in main_tf
    assert f'worker_image_id     = "{arm}"' in main_tf


def test_no_matching_image_is_a_user_error(fcos_amis: aws.AwsSession) -> None:
    config = example_config("aws")
    config = replace(config, variables=dict(config.variables, os_stream="next"))
    with pytest.raises(UserError, match="cannot pin controller_image_id: no fedora-coreos next"):
        pin_images(config, aws_session=fcos_amis)


def test_other_platforms_say_so() -> None:
    with pytest.raises(UserError, match="--pin-images is supported for aws"):
        pin_images(example_config("digital-ocean"))


@pytest.mark.slow
def test_a_pinned_module_needs_no_ami_lookup(tmp_path: Path) -> None:
    from typhoon_tf.testing.harness import verify_module

    config = example_config("aws")
    ids = {"controller_image_id": "ami-0pinnedcontroller", "worker_image_id": "ami-0pinnedworker"}
    out = generate(replace(config, variables=dict(config.variables, **ids)), tmp_path / "c")
    result = verify_module(out, workdir=tmp_path / "work")
    assert not result.resources("aws_ami")
    (controller,) = result.resources("aws_instance")
    assert controller["values"]["ami"] == "ami-0pinnedcontroller"
    (template,) = result.resources("aws_launch_template")
    assert template["values"]["image_id"] == "ami-0pinnedworker"
