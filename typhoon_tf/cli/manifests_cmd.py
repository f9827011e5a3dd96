"""`typhoon-tf manifests`: write every Kubernetes manifest a cluster would get, for review."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from typhoon_tf.cli import Subparsers
from typhoon_tf.errors import UserError

NETWORKS = ("calico", "cilium", "flannel")
# Spelled out (not imported) so `--help` stays fast; a test checks it against the addons.
ADDONS = ("fleetlock", "fluo", "nginx-ingress", "prometheus", "grafana")


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description="Render static pods, bootstrap manifests (for the chosen CNI) and the "
        "addons with example certificates and tokens. Needs terraform on PATH "
        "(the manifests are Terraform templates, rendered by Terraform itself). With "
        "--addon, write only the named addons' manifests (DIR/NAME/, for "
        "`kubectl apply -R -f DIR/NAME`); that needs no terraform.",
    )
    parser.add_argument("-c", "--config", help="cluster config YAML (default: example values)")
    parser.add_argument("--networking", choices=NETWORKS, help="override the CNI")
    parser.add_argument("-o", "--output", required=True, help="directory to write")
    parser.add_argument("--binary", help="terraform or tofu binary (default: from PATH)")
    parser.add_argument(
        "--addon",
        action="append",
        choices=ADDONS,
        metavar="NAME",
        help=f"only this addon (repeatable): {', '.join(ADDONS)}",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.addons import manifest_addons_tree
    from typhoon_tf.fsutil import write_tree_atomic

    settings: dict[str, Any] = {}
    service_cidr = "10.3.0.0/16"
    if args.config:
        from typhoon_tf.config import load_cluster_config

        variables = load_cluster_config(args.config).variables
        for key in ("networking", "pod_cidr", "service_cidr", "daemonset_tolerations"):
            if key in variables:
                settings[key] = variables[key]
        service_cidr = settings.get("service_cidr", service_cidr)
    if args.networking:
        settings["networking"] = args.networking
    if settings.get("networking", "cilium") not in NETWORKS:
        raise UserError(f"networking must be one of {', '.join(NETWORKS)}")
    out = Path(args.output)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError("output exists and is not an empty directory", file=str(out))
    if args.addon:
        # Repeats collapse; the order on disk does not depend on the order given.
        files = manifest_addons_tree(service_cidr, sorted(set(args.addon), key=ADDONS.index))
    else:
        files = _cluster_manifests(args.binary, settings)
        files.update(
            {f"addons/{rel}": text for rel, text in manifest_addons_tree(service_cidr).items()}
        )
    write_tree_atomic(out, files)
    print(f"wrote {len(files)} files to {out}/")
    return 0


def _cluster_manifests(binary: str | None, settings: dict[str, Any]) -> dict[str, str]:
    from typhoon_tf.bootstrap.preview import render_manifests
    from typhoon_tf.terraform_binary import locate_binary

    return render_manifests(locate_binary(binary), **settings)
