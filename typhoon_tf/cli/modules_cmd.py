"""`typhoon-tf modules`: regenerate the committed `modules/` tree."""

from __future__ import annotations

import argparse
from pathlib import Path

from typhoon_tf.cli import Subparsers


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    parser.add_argument(
        "-o", "--output", default="modules", help="target directory (default: %(default)s)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace a directory typhoon-tf did not write (it is kept as DIR.typhoon-tf-backup-N)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.generate.modules_tree import write_modules
    from typhoon_tf.generate.output_dir import check_modules_dir

    check_modules_dir(Path(args.output), force=args.force)  # before the slow rendering
    write_modules(Path(args.output), force=args.force)
    print(f"wrote {args.output}/")
    return 0
