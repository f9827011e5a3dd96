"""`typhoon-tf up [PLATFORM] [-c cluster.yaml] [-o DIR]`: generate, init, plan, apply."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from typhoon_tf.cli import tf_cmds
from typhoon_tf.errors import UserError


def register(subparsers: Any, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    parser.add_argument("platform", nargs="?", default="aws", help="platform (default: aws)")
    parser.add_argument(
        "-c", "--config", help="cluster config YAML (default: the embedded example cluster)"
    )
    parser.add_argument("-o", "--output", help="root module directory (default: ./<cluster_name>)")
    parser.add_argument("--os", help="override the config's os (fedora-coreos, flatcar-linux)")
    parser.add_argument(
        "--force", action="store_true", help="write into a directory typhoon-tf did not generate"
    )
    tf_cmds.add_common(parser, chdir=False)
    tf_cmds.add_guard_flag(parser)
    parser.set_defaults(func=run)


def _config(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from typhoon_tf.config import example_config, load_cluster_config

    if not args.config:
        return example_config(args.platform, args.os)
    config = load_cluster_config(args.config)
    if config.platform != args.platform:
        raise UserError(
            f"the config is for platform {config.platform!r}, not {args.platform!r}",
            file=args.config,
            path="platform",
        )
    return replace(config, os=args.os) if args.os else config


def run(args: argparse.Namespace) -> int:
    from typhoon_tf import driver
    from typhoon_tf.generate import generate

    config = _config(args)
    out = Path(args.output or config.variables["cluster_name"])
    generate(config, out, force=args.force)
    print(f"wrote {out}/ ({config.platform}, {config.os})")

    def action() -> int:
        values = driver.apply(tf_cmds.options(args, directory=out))
        tf_cmds.print_outputs_summary(values)
        print(f"next: typhoon-tf kubeconfig -C {out}")
        return 0

    return tf_cmds.guarded(action)
