"""Command-line entry point: parse -> call the library -> print.

Each sub-command lives in its own module under `typhoon_tf.cli` and exposes
`register(subparsers)`; the module is imported only when its command runs, so
`typhoon-tf --help` stays fast and heavy libraries load lazily.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TypeAlias

from typhoon_tf.errors import UserError

# What each command module's `register(subparsers, name, help_text)` adds its parser to.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

# command name -> (module under typhoon_tf.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "example": ("example_cmd", "transpile the embedded example node config and print it"),
    "butane": ("butane_cmd", "translate a Butane config to Ignition JSON"),
    "ignition": ("ignition_cmd", "validate or down-convert Ignition configs"),
    "node-config": ("node_config_cmd", "print a node's rendered Ignition config"),
    "schema": ("schema_cmd", "print the cluster-config JSON Schema"),
    "generate": ("generate_cmd", "write a Terraform root module for a cluster"),
    "modules": ("modules_cmd", "regenerate the committed modules/ tree"),
    "manifests": ("manifests_cmd", "render every Kubernetes manifest a cluster gets, for review"),
    "external": ("external_cmd", "Terraform external-data programs (butane snippets)"),
    "init": ("init_cmd", "terraform init in a generated root module"),
    "plan": ("plan_cmd", "preflight + terraform plan, refusing controller replacement"),
    "apply": ("apply_cmd", "preflight + plan + controller guard + terraform apply"),
    "destroy": ("destroy_cmd", "destroy a cluster (requires --yes)"),
    "output": ("output_cmd", "show the root module's outputs"),
    "kubeconfig": ("kubeconfig_cmd", "write the admin kubeconfig (mode 0600)"),
    "up": ("up_cmd", "generate + init + plan + apply in one step"),
    "images": ("images_cmd", "list current OS images (aws, google-cloud) for pinning"),
    "verify": ("verify_cmd", "run terraform fmt/validate/plan/apply over a module offline"),
}

EXIT_USER_ERROR = 2
# A bug in typhoon-tf (sysexits' EX_SOFTWARE): distinct from every status a command gives
# on purpose (1 = invalid/Terraform failed, 2 = user error, 3 = guard refused).
EXIT_INTERNAL_ERROR = 70


def _terminal_width() -> int:
    """What shutil.get_terminal_size gives argparse, without importing shutil (and with it
    bz2, lzma, fnmatch): every add_argument builds a formatter, so every command paid it."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns - 2  # the margin argparse takes off shutil's width


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose formatters get their width without importing shutil."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        # typeshed types formatter_class as taking `prog` only; every HelpFormatter takes width.
        formatter: type[argparse.HelpFormatter] = self.formatter_class  # type: ignore[assignment]
        return formatter(prog=self.prog, width=_terminal_width())


def _build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="typhoon-tf",
        description="Generate Typhoon-compatible Terraform modules for Kubernetes "
        "on Fedora CoreOS and Flatcar Linux.",
    )
    from typhoon_tf import __version__

    parser.add_argument("--version", action="version", version=f"typhoon-tf {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, (module, help_text) in COMMANDS.items():
        if name == wanted:
            mod = importlib.import_module(f"typhoon_tf.cli.{module}")
            mod.register(subparsers, name, help_text)
        else:
            # Only the command being run is imported; the others just show in --help.
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser(args_list)
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USER_ERROR if args.command is None else 0
    try:
        rc: int = args.func(args)
    except UserError as err:
        print(f"typhoon-tf: error: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return 0
    except (RecursionError, MemoryError) as err:
        # Last resort: every reader bounds its input (typhoon_tf.inputs), so reaching this
        # means some input was still too big for one step. It is the input's scale, not a
        # wrong value: one line and the user-error status, but named so it gets reported.
        print(
            f"typhoon-tf: error: the input is too large or too deeply nested to process "
            f"({type(err).__name__}; please report which input did this)",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except Exception:
        # Anything else is a bug: keep the traceback for the report and say so plainly.
        import traceback  # only here: it pulls linecache/tokenize into every start-up

        traceback.print_exc()
        print(
            "typhoon-tf: internal error: this is a bug in typhoon-tf, not a problem with "
            "your input; please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR
    return rc


def run() -> None:
    sys.exit(main())
