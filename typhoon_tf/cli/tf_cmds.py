"""Shared options and error mapping for the commands that drive Terraform.

Exit codes: 0 success, 1 Terraform failed, 2 user error (incl. preflight), 3 refused by a guard.
Everything heavy (the driver, cloud SDKs) is imported inside `run` functions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typhoon_tf.driver import Options
    from typhoon_tf.driver.terraform import OutputValue

# The names of driver.preflight.CHECKS (a test keeps them equal; importing the driver here
# would slow every command's --help).
PREFLIGHT_NAMES = ("tree", "terraform", "ssh-agent", "aws", "gcp")


def add_common(parser: argparse.ArgumentParser, *, chdir: bool = True) -> None:
    if chdir:
        parser.add_argument(
            "-C",
            "--chdir",
            default=".",
            metavar="DIR",
            help="the generated root module (default: .)",
        )
    parser.add_argument(
        "--binary",
        metavar="NAME_OR_PATH",
        help="terraform or tofu binary (default: $TYPHOON_TF_TERRAFORM, else the newest "
        "terraform or tofu found that satisfies the module's required_version)",
    )
    parser.add_argument(
        "--raw", action="store_true", help="pass Terraform's own output through unchanged"
    )
    parser.add_argument(
        "--skip-preflight",
        action="append",
        default=[],
        metavar="NAME",
        help=f"skip a preflight check ({', '.join(PREFLIGHT_NAMES)}); repeat or comma-separate",
    )


def add_guard_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-controller-replacement",
        action="store_true",
        help="apply even if the plan replaces or destroys controller nodes (etcd members)",
    )


def options(args: argparse.Namespace, directory: Path | None = None) -> Options:
    from typhoon_tf.driver import Options

    skip = {name.strip() for item in args.skip_preflight for name in item.split(",") if name}
    return Options(
        directory=directory or Path(args.chdir),
        binary=args.binary,
        raw=args.raw,
        skip_preflight=skip,
        allow_controller_replacement=getattr(args, "allow_controller_replacement", False),
        yes=getattr(args, "yes", False),
    )


def guarded(action: Callable[[], int]) -> int:
    """Run `action`, turning driver failures into messages and exit codes."""
    from typhoon_tf.driver import EXIT_REFUSED, EXIT_TERRAFORM_FAILED, Refused, TerraformFailed

    try:
        return action()
    except TerraformFailed as err:
        print(f"typhoon-tf: error: {err}", file=sys.stderr)
        return EXIT_TERRAFORM_FAILED
    except Refused as err:
        print(f"typhoon-tf: {err.report()}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        # Ctrl-C outside a Terraform run (e.g. while generating): nothing to clean up.
        print("typhoon-tf: interrupted", file=sys.stderr)
        return EXIT_TERRAFORM_FAILED


def print_outputs_summary(values: Mapping[str, OutputValue]) -> None:
    if not values:
        return
    public = sorted(k for k, v in values.items() if not v.get("sensitive"))
    secret = sorted(k for k, v in values.items() if v.get("sensitive"))
    line = f"outputs: {', '.join(public) or '-'}"
    if secret:
        line += f" (sensitive: {', '.join(secret)})"
    print(line)
