"""`typhoon-tf kubeconfig -C DIR [-o FILE]`: write the admin kubeconfig (mode 0600)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from typhoon_tf.cli import Subparsers, tf_cmds


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    tf_cmds.add_common(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it (default: DIR/kubeconfig-admin; '-' for stdout)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf import driver

    # fsutil reports a path it cannot write as one line (exit 2), not a traceback.
    from typhoon_tf.fsutil import check_writable_target, write_private_file

    target = Path(args.output) if args.output else Path(args.chdir) / "kubeconfig-admin"

    def action() -> int:
        if args.output != "-":
            check_writable_target(target)  # before Terraform runs: one line, nothing done
        text = driver.kubeconfig(tf_cmds.options(args))
        if args.output == "-":
            sys.stdout.write(text)
            return 0
        write_private_file(target, text)
        print(f"wrote {target} (mode 0600); export KUBECONFIG={target.resolve()}")
        return 0

    return tf_cmds.guarded(action)
