"""`typhoon-tf up [PLATFORM] [-c cluster.yaml] [-o DIR]`: generate, init, plan, apply."""

from __future__ import annotations

import argparse

from typhoon_tf.cli import Subparsers, tf_cmds
from typhoon_tf.cli.generate_cmd import add_generate_arguments, generate_from_args


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    add_generate_arguments(parser)
    tf_cmds.add_common(parser, chdir=False)
    tf_cmds.add_guard_flag(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf import driver

    config, out = generate_from_args(args)
    print(f"wrote {out}/ ({config.platform}, {config.os})")

    def action() -> int:
        values = driver.apply(tf_cmds.options(args, directory=out))
        tf_cmds.print_outputs_summary(values)
        print(f"next: typhoon-tf kubeconfig -C {out}")
        return 0

    return tf_cmds.guarded(action)
