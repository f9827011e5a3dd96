"""`typhoon-tf apply -C DIR`: preflight, plan, guard controllers, apply the plan."""

from __future__ import annotations

import argparse

from typhoon_tf.cli import Subparsers, tf_cmds


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    tf_cmds.add_common(parser)
    tf_cmds.add_guard_flag(parser)
    parser.add_argument(
        "--plan", metavar="FILE", help="apply this saved plan (from typhoon-tf plan) instead"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf import driver

    def action() -> int:
        values = driver.apply(tf_cmds.options(args), args.plan)
        tf_cmds.print_outputs_summary(values)
        return 0

    return tf_cmds.guarded(action)
