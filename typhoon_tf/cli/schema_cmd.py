"""`typhoon-tf schema`: print the cluster-config JSON Schema (for editors and CI)."""

from __future__ import annotations

import argparse
import json

from typhoon_tf.cli import Subparsers


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.config import cluster_schema

    print(json.dumps(cluster_schema(), indent=2))
    return 0
