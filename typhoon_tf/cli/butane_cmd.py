"""`typhoon-tf butane`: translate a Butane config to Ignition JSON, like the `butane` CLI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from typhoon_tf.cli import Subparsers
from typhoon_tf.errors import UserError


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    parser.add_argument("--strict", action="store_true", help="fail on any warning")
    parser.add_argument("-p", "--pretty", action="store_true", help="indent the JSON output")
    parser.add_argument(
        "-d", "--files-dir", metavar="DIR", help="directory for local: files and trees"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    parser.add_argument("input", nargs="?", metavar="INPUT", help="Butane file (default: stdin)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.butane import serialize, translate_with_warnings
    from typhoon_tf.inputs import DOCUMENT_LIMIT, read_input_text

    text, name = read_input_text(args.input, limit=DOCUMENT_LIMIT, what="input")
    result = translate_with_warnings(
        text, strict=args.strict, files_dir=args.files_dir, source_name=name, strict_flag="--strict"
    )
    for warning in result.warnings:
        print(f"typhoon-tf: warning: {warning}", file=sys.stderr)
    output = serialize(result.config, pretty=args.pretty) + "\n"
    if args.output:
        from typhoon_tf.fsutil import write_file_atomic

        try:
            write_file_atomic(Path(args.output), output.encode("utf-8"))
        except OSError as err:
            raise UserError(
                f"cannot write output: {err.strerror or err}", file=args.output
            ) from None
    else:
        sys.stdout.buffer.write(output.encode("utf-8"))
        sys.stdout.flush()
    return 0
