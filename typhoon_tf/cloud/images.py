"""The current OS image for a platform and channel, for pinning (`typhoon-tf images`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typhoon_tf.cloud.errors import CloudProblem

if TYPE_CHECKING:
    from typhoon_tf.cloud.aws import AwsSession
    from typhoon_tf.cloud.gcp import GcpClients

DEFAULT_CHANNELS = {"fedora-coreos": "stable", "flatcar-linux": "stable"}


def resolve_image(
    platform: str,
    os: str,
    channel: str | None = None,
    arch: str = "amd64",
    *,
    aws_session: AwsSession | None = None,
    gcp_clients: GcpClients | None = None,
) -> str:
    """The newest image id (AWS: `ami-...`; Google Cloud: the image self link).

    `CloudProblem` when nothing matches or the cloud library is missing.
    """
    channel = channel or DEFAULT_CHANNELS.get(os, "stable")
    if platform == "aws":
        from typhoon_tf.cloud import aws

        sess = aws_session or aws.session()
        amis = aws.list_images(sess, os, channel, arch)
        if not amis:
            raise CloudProblem(f"no {os} {channel} {arch} AMI in region {sess.region_name}")
        return amis[0].id
    if platform == "google-cloud":
        from typhoon_tf.cloud import gcp

        found = gcp.list_images(os, channel, arch, gcp_clients)
        if not found:
            raise CloudProblem(f"no {os} {channel} {arch} image on Google Cloud")
        return found[0].self_link
    raise CloudProblem(f"image lookup is not supported for platform {platform!r}")
