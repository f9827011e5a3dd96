"""`typhoon-tf images aws|google-cloud --os O [--channel S] [--arch A]`: current OS images."""

from __future__ import annotations

import argparse

from typhoon_tf.cli import Subparsers
from typhoon_tf.errors import UserError

PLATFORMS = ("aws", "google-cloud")


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    parser.add_argument("platform", choices=PLATFORMS)
    parser.add_argument("--os", required=True, choices=("fedora-coreos", "flatcar-linux"))
    parser.add_argument(
        "--channel",
        "--stream",
        dest="channel",
        default="stable",
        help="Flatcar channel or Fedora CoreOS stream (default: stable)",
    )
    parser.add_argument("--arch", default="amd64", choices=("amd64", "arm64"))
    parser.add_argument("--region", help="AWS region (default: from the AWS configuration)")
    parser.add_argument("--limit", type=int, default=5, help="how many to list (default: 5)")
    parser.set_defaults(func=run)


def _rows(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    if args.platform == "aws":
        from typhoon_tf.cloud import aws

        sess = aws.session(args.region)
        amis = aws.list_images(sess, args.os, args.channel, args.arch)
        return [(i.id, i.created, i.name) for i in amis]
    from typhoon_tf.cloud import gcp

    images = gcp.list_images(args.os, args.channel, args.arch)
    return [(i.self_link or i.name, i.created, i.name) for i in images]


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.cloud import CloudProblem

    try:
        rows = _rows(args)[: args.limit]
    except CloudProblem as err:
        raise UserError(str(err)) from None
    if not rows:
        raise UserError(f"no {args.os} {args.channel} {args.arch} images found on {args.platform}")
    for image_id, created, name in rows:
        print(f"{image_id}\t{created}\t{name}")
    return 0
