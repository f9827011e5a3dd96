"""`typhoon-tf external butane`: the program behind the modules' `external` data sources."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from typhoon_tf.errors import UserError


def register(subparsers: Any, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description="Terraform external-data programs (stdin/stdout JSON)."
    )
    parser.add_argument("program", choices=["butane"], help="butane: transpile snippets")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.external import run_butane_query

    try:
        query = json.load(sys.stdin)
    except ValueError as err:
        raise UserError(f"stdin is not a JSON object: {err}") from None
    if not isinstance(query, dict):
        raise UserError("stdin must be a JSON object")
    json.dump(run_butane_query(query), sys.stdout)
    sys.stdout.write("\n")
    return 0
