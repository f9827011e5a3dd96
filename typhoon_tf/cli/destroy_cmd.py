"""`typhoon-tf destroy -C DIR --yes`: destroy every resource of the cluster."""

from __future__ import annotations

import argparse

from typhoon_tf.cli import Subparsers, tf_cmds


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    tf_cmds.add_common(parser)
    parser.add_argument(
        "--yes", action="store_true", help="confirm: destroy the whole cluster (required)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf import driver

    def action() -> int:
        doomed = driver.destroy(tf_cmds.options(args))
        print(f"destroyed {len(doomed)} resource(s)")
        return 0

    return tf_cmds.guarded(action)
