"""`typhoon-tf verify DIR`: run real Terraform over a module offline (fmt, validate, plan,
apply against fake/real local providers, then a re-plan that must show no changes)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typhoon_tf.cli import Subparsers
from typhoon_tf.errors import UserError

if TYPE_CHECKING:
    from typhoon_tf.terraform_binary import Binary
    from typhoon_tf.testing.provisioners import RemovedBlock


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text)
    parser.add_argument("module_dir", metavar="DIR", help="Terraform module directory")
    parser.add_argument(
        "-var",
        dest="vars",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set an input variable (VALUE is parsed as JSON when it is valid JSON)",
    )
    parser.add_argument(
        "--var-file",
        dest="var_files",
        action="append",
        default=[],
        metavar="FILE",
        help="read input variables from a JSON or YAML file",
    )
    parser.add_argument("--no-apply", action="store_true", help="stop after plan")
    parser.add_argument("--no-fmt", action="store_true", help="skip terraform fmt -check")
    parser.add_argument("--workdir", help="keep the scratch workspace in this directory")
    parser.add_argument(
        "--terraform",
        metavar="PATH",
        help="the Terraform binary to run (default: $TYPHOON_TF_TERRAFORM, else the newest "
        "found that satisfies the module's required_version)",
    )
    parser.add_argument(
        "--real-cloud",
        action="store_true",
        help="validate only, against real cloud provider binaries found on this machine",
    )
    parser.set_defaults(func=run)


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _load_var_file(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text())  # YAML is a superset of JSON
    except OSError as err:
        raise UserError(f"cannot read variables file: {err.strerror}", file=str(path)) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise UserError(
            f"invalid variables file: {getattr(err, 'problem', err)}",
            file=str(path),
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from err
    if not isinstance(data, dict):
        raise UserError("variables file must hold a mapping of variable names", file=str(path))
    return data


def collect_variables(var_files: list[str], assignments: list[str]) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for var_file in var_files:
        variables.update(_load_var_file(Path(var_file)))
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise UserError(f"-var expects NAME=VALUE, got {assignment!r}")
        variables[name.strip()] = _parse_value(value)
    return variables


def removal_lines(removed: list[RemovedBlock]) -> list[str]:
    """What the scratch copy ran without: SSH blocks were still validated, a backend not."""
    lines = []
    for block in removed:
        where = f"{block.resource} ({block.file}:{block.first_line})"
        if block.resource == "terraform":  # a backend: removed before init, state stays local
            lines.append(f"removed {block.block} from {where}")
        else:  # no host to SSH into offline
            lines.append(f"validated {block.block} of {where}, removed for plan/apply")
    return lines


# What the harness imports: the [verify] extra (pyproject.toml), checked up front.
REQUIRED_MODULES = ("hcl2", "lark", "tf", "grpc", "cryptography", "msgpack")


# -- which Terraform runs (first hour, issue 14) ----------------------------------------


def chosen_terraform(requested: str | None, module_dir: Path) -> Binary:
    """--terraform, $TYPHOON_TF_TERRAFORM, else the newest binary that satisfies the
    module's required_version (a venv's 1.0.3 first on PATH must not silently win);
    prints which one runs and why."""
    from typhoon_tf.terraform_binary import choose_binary

    choice = choose_binary(requested, directory=module_dir, include_bundled=True)
    print(f"terraform {choice.binary.version} ({choice.binary.path}; {choice.reason})")
    return choice.binary


def run(args: argparse.Namespace) -> int:
    import importlib.util

    missing = [m for m in REQUIRED_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        from typhoon_tf.install_hint import install_command

        raise UserError(
            f"typhoon-tf verify needs the [verify] extra ({', '.join(missing)} missing): "
            f"{install_command('verify')}"
        )
    from typhoon_tf.testing.diagnostics import VerificationError
    from typhoon_tf.testing.harness import verify_module

    module_dir = Path(args.module_dir)
    if not module_dir.is_dir():
        raise UserError("not a directory", file=str(module_dir))
    variables = collect_variables(args.var_files, args.vars)
    terraform = chosen_terraform(args.terraform, module_dir)
    print("validate checks the module as written, SSH connection/provisioner blocks included")

    def show_step(step: str, seconds: float) -> None:
        print(f"  {step:<12} {seconds:6.2f} s", flush=True)

    try:
        result = verify_module(
            module_dir,
            variables,
            workdir=args.workdir,
            apply=not args.no_apply,
            check_fmt=not args.no_fmt,
            terraform=terraform,
            allow_real_cloud=args.real_cloud,
            on_step=show_step,
        )
    except VerificationError as err:
        print(str(err), file=sys.stderr)
        return 1
    for choice in result.providers:
        print(f"provider {choice.address} {choice.version}: {choice.kind} ({choice.source})")
    for line in removal_lines(result.removed_blocks):
        print(line)
    if not result.plan:
        print(f"ok: validated (no plan/apply with --real-cloud), {result.total_seconds:.1f} s")
        return 0
    managed = [r for r in result.resources() if r.get("mode") == "managed"]
    print(f"ok: {len(managed)} resources, {result.total_seconds:.1f} s")
    return 0
