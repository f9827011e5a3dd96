"""`typhoon-tf ignition`: validate, down-convert or merge Ignition configs.

typhoon-tf ignition validate FILE...            exit 0 valid, 1 invalid, 2 unreadable
typhoon-tf ignition downconvert --to 2.3.0 [-o FILE] [--pretty] [INPUT]
typhoon-tf ignition merge [-o FILE] [--pretty] PARENT CHILD
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from typhoon_tf.cli import Subparsers

EXIT_INVALID = 1


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text)
    actions = parser.add_subparsers(dest="ignition_action", metavar="ACTION", required=True)

    validate = actions.add_parser("validate", help="validate Ignition configs (3.0.0-3.5.0, 2.3.0)")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument(
        "--warnings", action="store_true", help="also print warnings (e.g. unused keys)"
    )
    validate.set_defaults(func=run_validate)

    down = actions.add_parser("downconvert", help="convert a spec-3 config to spec 2.3.0")
    down.add_argument("--to", required=True, choices=["2.3.0"], help="target spec version")
    down.add_argument(
        "input", nargs="?", default="-", metavar="INPUT", help="input file (default: stdin)"
    )
    _add_output_options(down)
    down.set_defaults(func=run_downconvert)

    merge = actions.add_parser("merge", help="merge CHILD into PARENT with Ignition's rules")
    merge.add_argument("parent", metavar="PARENT")
    merge.add_argument("child", metavar="CHILD")
    _add_output_options(merge)
    merge.set_defaults(func=run_merge)


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")


def read_config(name: str) -> Any:
    """Parse one JSON input ("-" is stdin); unreadable or non-JSON input is a UserError."""
    from typhoon_tf.inputs import DOCUMENT_LIMIT, load_json, read_input_text

    text, label = read_input_text(name, limit=DOCUMENT_LIMIT, what="Ignition config")
    return load_json(text, label)


def run_validate(args: argparse.Namespace) -> int:
    from typhoon_tf.ignition.validate import validate

    configs = [(name, read_config(name)) for name in args.files]
    invalid = False
    for name, config in configs:
        for problem in validate(config, warnings=args.warnings):
            invalid = invalid or problem.is_error
            print(f"{name}: {problem}")
    return EXIT_INVALID if invalid else 0


def run_downconvert(args: argparse.Namespace) -> int:
    from typhoon_tf.ignition.downconvert import downconvert

    label = "<stdin>" if args.input == "-" else args.input
    result = downconvert(read_config(args.input), args.to, source=label)
    _write_json(result, args)
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from typhoon_tf.ignition.merge import merge
    from typhoon_tf.ignition.validate import check

    parent, child = read_config(args.parent), read_config(args.child)
    check(parent, source=args.parent)
    check(child, source=args.child)
    _write_json(merge(parent, child), args)
    return 0


def _write_json(document: object, args: argparse.Namespace) -> None:
    text = (
        json.dumps(
            document,
            indent=2 if args.pretty else None,
            ensure_ascii=False,
            separators=None if args.pretty else (",", ":"),
        )
        + "\n"
    )
    if args.output:
        from typhoon_tf.fsutil import write_file_atomic

        write_file_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
