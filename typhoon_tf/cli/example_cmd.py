"""`typhoon-tf example`: transpile the embedded example node config and print it."""

from __future__ import annotations

import argparse
import json
from importlib import resources

from typhoon_tf.cli import Subparsers


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text)
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.butane import translate

    text = resources.files("typhoon_tf.examples").joinpath("node.bu").read_text()
    config = translate(text, strict=True)
    print(json.dumps(config, indent=2 if args.pretty else None, sort_keys=False))
    return 0
