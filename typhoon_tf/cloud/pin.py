"""`generate --pin-images`: resolve today's OS images once and write their ids into the
cluster's variables, so later plans do not drift when a new image is published."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from typhoon_tf.cloud.errors import CloudProblem
from typhoon_tf.cloud.images import resolve_image
from typhoon_tf.config import ClusterConfig
from typhoon_tf.errors import UserError
from typhoon_tf.platforms import load_platform

if TYPE_CHECKING:
    from typhoon_tf.cloud.aws import AwsSession

# Per platform: (variable that pins the image, variable holding that role's architecture).
PIN_VARIABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "aws": (("controller_image_id", "controller_arch"), ("worker_image_id", "worker_arch")),
}


def os_channel(config: ClusterConfig) -> str:
    """The OS channel the module would look up: FCOS `os_stream`, Flatcar `os_image`."""
    platform = load_platform(config.platform)
    variable = platform.extra["images"][config.os]["channel_variable"]
    value = str(config.variables.get(variable, platform.variable(variable).default))
    # Flatcar's os_image is "flatcar-<channel>".
    return value.removeprefix("flatcar-")


def pin_images(config: ClusterConfig, *, aws_session: AwsSession | None = None) -> ClusterConfig:
    """`config` with every unpinned image variable set to the newest matching image id."""
    if config.platform not in PIN_VARIABLES:
        supported = ", ".join(PIN_VARIABLES)
        raise UserError(
            f"--pin-images is supported for {supported}, not {config.platform}",
            file=config.source,
            path="platform",
        )
    session = aws_session
    if session is None:
        from typhoon_tf.cloud import aws

        try:
            session = aws.session(region=config.provider.get("region"))
        except CloudProblem as err:
            raise UserError(str(err), file=config.source, path="provider") from None
    variables = dict(config.variables)
    for pin, arch_variable in PIN_VARIABLES[config.platform]:
        if variables.get(pin):
            continue
        arch = str(variables.get(arch_variable, "amd64"))
        try:
            variables[pin] = resolve_image(
                config.platform, config.os, os_channel(config), arch, aws_session=session
            )
        except CloudProblem as err:
            raise UserError(
                f"cannot pin {pin}: {err}", file=config.source, path=f"cluster.{pin}"
            ) from None
    return replace(config, variables=variables)
