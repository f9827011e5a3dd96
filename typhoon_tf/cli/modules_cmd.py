"""`typhoon-tf modules`: regenerate the committed `modules/` tree."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text)
    parser.add_argument("-o", "--output", default="modules", help="target directory")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.generate.modules_tree import write_modules

    write_modules(Path(args.output))
    print(f"wrote {args.output}/")
    return 0
