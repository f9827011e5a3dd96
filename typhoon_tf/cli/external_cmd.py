"""`typhoon-tf external butane`: the program behind the modules' `external` data sources."""

from __future__ import annotations

import argparse
import json
import sys

from typhoon_tf.cli import Subparsers
from typhoon_tf.errors import UserError


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description="Terraform external-data programs (stdin/stdout JSON)."
    )
    parser.add_argument("program", choices=["butane"], help="butane: transpile snippets")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.external import run_butane_query
    from typhoon_tf.inputs import DOCUMENT_LIMIT, load_json, read_stdin_text

    text = read_stdin_text(limit=DOCUMENT_LIMIT, what="the external data query")
    query = load_json(text, "<stdin>")
    if not isinstance(query, dict):
        raise UserError("stdin must be a JSON object", file="<stdin>")
    json.dump(run_butane_query(query), sys.stdout)
    sys.stdout.write("\n")
    return 0
