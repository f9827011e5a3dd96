"""AWS preflight and image lookups against moto's in-process AWS (no network)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

boto3 = pytest.importorskip("boto3", reason="the aws extra (boto3) is not installed")
moto = pytest.importorskip("moto", reason="moto is not installed (test extra)")

from typhoon_tf.cloud import CloudProblem, MissingExtra, aws, resolve_image  # noqa: E402
from typhoon_tf.driver.preflight import (  # noqa: E402
    PreflightContext,
    PreflightError,
    PreflightUnchecked,
    check_aws,
)
from typhoon_tf.driver.rootmodule import read_root_settings  # noqa: E402

DATA = Path(__file__).parent / "data" / "driver"


@pytest.fixture
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials from the caller's shell, files or instance metadata."""
    for name in (
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def mocked_aws(clean_aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto.mock_aws():
        yield


def _ctx(sample: str = "aws_root") -> PreflightContext:
    return PreflightContext(read_root_settings(DATA / sample))


def _zone(name: str, private: bool = False) -> str:
    client = boto3.client("route53", region_name="us-east-1")
    kwargs: dict[str, Any] = {"Name": name, "CallerReference": name}
    if private:
        kwargs["VPC"] = {"VPCRegion": "us-east-1", "VPCId": "vpc-12345678"}
        kwargs["HostedZoneConfig"] = {"PrivateZone": True, "Comment": "private"}
    zone_id: str = client.create_hosted_zone(**kwargs)["HostedZone"]["Id"]
    return zone_id.rsplit("/", 1)[-1]


def _with_zone_id(tmp_path: Path, zone_id: str) -> PreflightContext:
    text = (DATA / "aws_root" / "main.tf").read_text().replace("Z3PAABBCFAKEC0", zone_id)
    (tmp_path / "main.tf").write_text(text)
    return PreflightContext(read_root_settings(tmp_path))


def test_missing_credentials_are_reported(clean_aws_env: None) -> None:
    with pytest.raises(PreflightError) as err:
        check_aws(_ctx())
    assert "preflight aws: no AWS credentials found" in str(err.value)
    assert "--skip-preflight aws" in str(err.value)


def test_unknown_zone_id_is_reported(mocked_aws: None) -> None:
    _zone("aws.example.com")
    with pytest.raises(PreflightError) as err:
        check_aws(_ctx())  # the sample's Z3PAABBCFAKEC0 does not exist
    assert "Route53 has no hosted zone with id 'Z3PAABBCFAKEC0'" in str(err.value)


def test_zone_id_of_another_domain_is_reported(mocked_aws: None, tmp_path: Path) -> None:
    other = _zone("other.example.org")
    with pytest.raises(PreflightError) as err:
        check_aws(_with_zone_id(tmp_path, other))
    assert f"dns_zone_id '{other}' is the zone for 'other.example.org'" in str(err.value)
    assert "but dns_zone is 'aws.example.com'" in str(err.value)


def test_private_zone_is_reported(mocked_aws: None, tmp_path: Path) -> None:
    private = _zone("aws.example.com", private=True)
    with pytest.raises(PreflightError, match="is private"):
        check_aws(_with_zone_id(tmp_path, private))


def test_matching_zone_passes(mocked_aws: None, tmp_path: Path) -> None:
    good = _zone("aws.example.com")
    check_aws(_with_zone_id(tmp_path, good))


def test_cli_preflight_reports_wrong_zone_with_exit_2(
    mocked_aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from typhoon_tf.cli import main

    _zone("aws.example.com")
    (tmp_path / "main.tf").write_text((DATA / "aws_root" / "main.tf").read_text())
    rc = main(["plan", "-C", str(tmp_path), "--skip-preflight", "terraform,ssh-agent"])
    assert rc == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Route53 has no hosted zone with id 'Z3PAABBCFAKEC0'" in err


def test_without_boto3_the_check_warns_and_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # makes `import boto3` fail
    with pytest.raises(PreflightUnchecked) as err:
        check_aws(_ctx())
    assert "not checked (AWS credentials and the Route53 zone dns_zone_id)" in str(err.value)
    assert "-e '.[aws]'" in str(err.value) or "[aws]'" in str(err.value)
    assert "typhoon-tf[aws]" not in str(err.value)  # the package is not published
    with pytest.raises(MissingExtra):
        aws.session()


def _base_ami(arch: str) -> str:
    # moto's built-in AMIs, read directly: listing them through the API costs seconds.
    from moto.ec2.models.amis import AMIS

    ami_id: str = next(
        a["ami_id"]
        for a in AMIS
        if a.get("architecture") == arch and a.get("virtualization_type") == "hvm"
    )
    return ami_id


def _image(ec2: Any, base_arch: str, name: str, description: str) -> str:
    """An AMI with `name`/`description`, inheriting `base_arch` (moto's register_image drops
    the architecture, create_image from an instance keeps it)."""
    base = _base_ami(base_arch)
    instance = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]
    image_id: str = ec2.create_image(
        InstanceId=instance["InstanceId"], Name=name, Description=description
    )["ImageId"]
    return image_id


def test_images_filter_by_owner_stream_and_arch_newest_first(
    clean_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    # The images below are "owned" by Fedora CoreOS's account.
    monkeypatch.setenv("MOTO_ACCOUNT_ID", aws.image_source("fedora-coreos")[0])
    with moto.mock_aws():
        sess = boto3.Session(region_name="us-east-1")
        ec2 = sess.client("ec2")
        older = _image(ec2, "x86_64", "fedora-coreos-40.1-x86_64", "Fedora CoreOS stable 40.1")
        _image(ec2, "x86_64", "fedora-coreos-41.0-x86_64", "Fedora CoreOS testing 41.0")
        arm = _image(ec2, "arm64", "fedora-coreos-40.1-aarch64", "Fedora CoreOS stable 40.1")
        time.sleep(1.1)  # AMI creation dates have one-second resolution
        newer = _image(ec2, "x86_64", "fedora-coreos-40.2-x86_64", "Fedora CoreOS stable 40.2")

        found = aws.list_images(sess, "fedora-coreos", "stable", "amd64")
        assert [i.id for i in found] == [newer, older]
        assert [i.id for i in aws.list_images(sess, "fedora-coreos", "stable", "arm64")] == [arm]
        assert aws.list_images(sess, "flatcar-linux", "stable", "amd64") == []  # other owner
        assert resolve_image("aws", "fedora-coreos", "stable", "amd64", aws_session=sess) == newer
        with pytest.raises(CloudProblem, match="no fedora-coreos next amd64 AMI"):
            resolve_image("aws", "fedora-coreos", "next", aws_session=sess)


def test_images_cli_lists_flatcar_channel(
    clean_aws_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from typhoon_tf.cli import main

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", aws.image_source("flatcar-linux")[0])
    with moto.mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        beta = _image(ec2, "x86_64", "Flatcar-beta-4152.1.0-hvm", "Flatcar Container Linux beta")
        _image(ec2, "x86_64", "Flatcar-stable-4081.2.0-hvm", "Flatcar Container Linux stable")
        argv = [
            "images",
            "aws",
            "--os",
            "flatcar-linux",
            "--channel",
            "beta",
            "--region",
            "us-east-1",
        ]
        assert main(argv) == 0
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 1 and out[0].startswith(f"{beta}\t")
        assert out[0].endswith("\tFlatcar-beta-4152.1.0-hvm")
        assert main([*argv[:-4], "--channel", "alpha"]) == 2
        assert "no flatcar-linux alpha amd64 images found on aws" in capsys.readouterr().err


def test_unknown_profile_in_the_provider_block_is_reported(
    clean_aws_env: None, tmp_path: Path
) -> None:
    text = (DATA / "aws_root" / "main.tf").read_text()
    text = text.replace('region = "us-east-1"', 'region  = "us-east-1"\n  profile = "nosuch"')
    (tmp_path / "main.tf").write_text(text)
    with pytest.raises(PreflightError, match="preflight aws: cannot use the AWS configuration"):
        check_aws(PreflightContext(read_root_settings(tmp_path)))
