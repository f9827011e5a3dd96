"""`typhoon-tf generate PLATFORM`: write a ready-to-apply Terraform root module."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from typhoon_tf.cli import Subparsers
from typhoon_tf.errors import UserError

if TYPE_CHECKING:
    from typhoon_tf.config import ClusterConfig


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    add_generate_arguments(parser)
    parser.set_defaults(func=run)


def add_generate_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `generate`, shared with `up` (which generates first)."""
    parser.add_argument(
        "platform", nargs="?", help="platform (default: the config's, or aws for the example)"
    )
    parser.add_argument(
        "-c", "--config", help="cluster config YAML (default: the embedded example cluster)"
    )
    parser.add_argument("-o", "--output", help="output directory (default: ./<cluster_name>)")
    parser.add_argument("--os", help="override the config's os (fedora-coreos, flatcar-linux)")
    parser.add_argument(
        "--force", action="store_true", help="write into a directory typhoon-tf did not generate"
    )
    parser.add_argument(
        "--pin-images",
        action="store_true",
        help="look up today's OS images (AWS; needs the [aws] extra and credentials) and "
        "pin their ids instead of looking them up at every plan",
    )
    parser.add_argument(
        "--backend",
        choices=["s3", "gcs", "azurerm"],
        help="write a backend block for shared, locked state (default: local state)",
    )
    parser.add_argument(
        "--backend-config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a backend option, e.g. bucket=acme-tf (repeat for each option)",
    )


def run(args: argparse.Namespace) -> int:
    config, out = generate_from_args(args)
    print(f"wrote {out}/ ({config.platform}, {config.os}); next: terraform -chdir={out} init")
    return 0


def example_keys(config: ClusterConfig) -> list[str]:
    """The example's site-specific values: every provider setting, every module variable
    without a default (DNS zone, SSH key, ...) except the cluster's name, and any value
    naming example.com (bare-metal's worker hosts)."""
    import json

    from typhoon_tf.platforms import load_platform

    required = {v.name for v in load_platform(config.platform).variables if v.required}
    cluster = [
        f"cluster.{k}"
        for k, v in config.variables.items()
        if k != "cluster_name" and (k in required or "example.com" in json.dumps(v))
    ]
    return [*(f"provider.{k}" for k in config.provider), *cluster]


def example_values_warning(config: ClusterConfig) -> str:
    """Generating the embedded example is a demo: say which values are placeholders."""
    import os

    import typhoon_tf.config

    example = Path(typhoon_tf.config.__file__).parent / "examples" / f"{config.platform}.yaml"
    shown = os.path.relpath(example) if example.is_relative_to(Path.cwd()) else str(example)
    return (
        f"typhoon-tf: warning: no -c given: this is the embedded example ({shown}) and its "
        f"values are placeholders (a documentation SSH key, example.com DNS). Before "
        f"`apply`, copy it, change {', '.join(example_keys(config))}, and generate with -c"
    )


def generate_from_args(args: argparse.Namespace) -> tuple[ClusterConfig, Path]:
    """Load (or take the example) config, apply the overrides and write the root module."""
    from typhoon_tf.generate import generate
    from typhoon_tf.generate.output_dir import check_generated_dir

    config = _config(args)
    out = Path(args.output or config.variables["cluster_name"])
    # Refuse an output we may not write before the slow part (rendering, image lookups).
    check_generated_dir(out, platform=config.platform, force=args.force)
    if args.pin_images:
        from typhoon_tf.cloud.pin import pin_images

        config = pin_images(config)
    generate(config, out, force=args.force, backend=_backend(args))
    if not args.config:
        print(example_values_warning(config), file=sys.stderr)
    return config, out


def _config(args: argparse.Namespace) -> ClusterConfig:
    from typhoon_tf.config import example_config, load_cluster_config
    from typhoon_tf.platforms import OPERATING_SYSTEMS, available_platforms

    if args.platform is not None and args.platform not in available_platforms():
        raise UserError(
            f"unknown platform {args.platform!r} (choose from {', '.join(available_platforms())})"
        )
    if args.os is not None and args.os not in OPERATING_SYSTEMS:
        raise UserError(f"--os must be one of {', '.join(OPERATING_SYSTEMS)}, not {args.os!r}")
    if not args.config:
        return example_config(args.platform or "aws", args.os)
    config = load_cluster_config(args.config, os_override=args.os)
    if args.platform is not None and config.platform != args.platform:
        raise UserError(
            f"the config is for platform {config.platform!r}, not {args.platform!r}",
            file=args.config,
            path="platform",
        )
    return config


def _backend(args: argparse.Namespace) -> tuple[str, dict[str, object]] | None:
    if args.backend is None:
        if args.backend_config:
            raise UserError("--backend-config needs --backend s3|gcs|azurerm")
        return None
    options: dict[str, object] = {}
    for item in args.backend_config:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UserError(f"--backend-config expects KEY=VALUE, got {item!r}")
        options[key] = value
    return args.backend, options
