"""`typhoon-tf plan -C DIR`: preflight, plan into a plan file, guard controllers."""

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
        "--out", default="typhoon-tf.tfplan", metavar="FILE", help="plan file (inside DIR)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf import driver
    from typhoon_tf.driver.terraform import has_changes

    def action() -> int:
        shown = driver.plan(tf_cmds.options(args), args.out)
        if has_changes(shown):
            print(
                f"plan saved to {args.chdir}/{args.out}; apply it with "
                f"typhoon-tf apply -C {args.chdir} --plan {args.out}"
            )
        else:
            print("no changes: the infrastructure matches the configuration")
        return 0

    return tf_cmds.guarded(action)
