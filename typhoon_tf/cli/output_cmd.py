"""`typhoon-tf output -C DIR [NAME] [--json]`: the root module's outputs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from typhoon_tf.cli import Subparsers, tf_cmds
from typhoon_tf.errors import UserError


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    tf_cmds.add_common(parser)
    parser.add_argument("name", nargs="?", help="print only this output's value (even sensitive)")
    parser.add_argument("--json", action="store_true", help="print terraform output -json")
    parser.set_defaults(func=run)


def _plain(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def no_outputs_message(directory: Path) -> str:
    """Why `terraform output` had nothing: usually nothing was applied here yet."""
    has_state = (directory / "terraform.tfstate").is_file()
    # A backend keeps the state elsewhere; init records it under .terraform/.
    has_backend = (directory / ".terraform" / "terraform.tfstate").is_file()
    if has_state or has_backend:
        return f"{directory}: the state has no outputs (was the last apply a destroy?)"
    return (
        f"{directory}: no outputs: there is no Terraform state here yet "
        f"(nothing applied); run `typhoon-tf apply -C {directory}` first"
    )


def run(args: argparse.Namespace) -> int:
    from typhoon_tf import driver

    def action() -> int:
        values = driver.outputs(tf_cmds.options(args))
        if not values:
            raise UserError(no_outputs_message(Path(args.chdir)))
        if args.name is not None:
            if args.name not in values:
                raise UserError(f"no output {args.name!r} (have: {', '.join(sorted(values))})")
            chosen = values[args.name]["value"]
            print(json.dumps(chosen, indent=2, sort_keys=True) if args.json else _plain(chosen))
            return 0
        if args.json:
            print(json.dumps(values, indent=2, sort_keys=True))
            return 0
        for name in sorted(values):
            entry = values[name]
            shown = "<sensitive>" if entry.get("sensitive") else json.dumps(entry["value"])
            print(f"{name} = {shown}")
        return 0

    return tf_cmds.guarded(action)
