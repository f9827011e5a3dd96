"""`typhoon-tf node-config`: print one node's rendered Ignition config.

Apply-time values (kubeconfig, SSH key, etcd names, labels, ...) take their documented
example values unless `-c FILE` gives them. FILE is a YAML mapping of hole values and node
options, for example:

    ssh_authorized_key: ssh-ed25519 AAAA... me@example
    node_labels: [pool=general]
    etcd_name: etcd1
    cgroup_driver: cgroupfs        # Flatcar only
    fleetlock_url: http://10.3.0.15/   # Fedora CoreOS only
    ignition_version: 3.4.0

FILE may instead be a cluster config (`generate -c`'s cluster.yaml): the node is then
rendered as `generate` builds it, with the config's platform, OS, SSH key, snippets and
Ignition version (`--role` still chooses the node).

`--pool NAME --cluster cluster.yaml` renders a worker of that cluster's pool NAME: platform
and OS come from the cluster config, and the pool's node labels, taints, architecture and
snippets (as the data URLs Ignition merges at boot) apply, with the cluster's SSH key,
service CIDR and generate-time worker snippets.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from typhoon_tf.cli import Subparsers

if TYPE_CHECKING:
    from typhoon_tf.yamlsrc import SourcedYAML

OPTION_KEYS = ("ignition_version", "cgroup_driver", "fleetlock_url", "fleetlock_group", "arch")


def register(subparsers: Subparsers, name: str, help_text: str) -> None:
    from typhoon_tf.nodes import OS_PROFILES, PLATFORM_DELTAS, ROLES

    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text + ". Apply-time values take documented examples unless "
        "-c FILE (a YAML mapping of hole values and node options) gives them.",
    )
    parser.add_argument(
        "--platform", choices=sorted(PLATFORM_DELTAS), help="required unless --pool"
    )
    parser.add_argument(
        "--os", choices=sorted(OS_PROFILES), dest="os_name", help="required unless --pool"
    )
    parser.add_argument("--role", choices=ROLES, help="required unless --pool (then: worker)")
    parser.add_argument(
        "--pool", metavar="NAME", help="render a worker of this pool of the --cluster config"
    )
    parser.add_argument(
        "--cluster", type=Path, metavar="FILE", help="the cluster config (cluster.yaml) of --pool"
    )
    parser.add_argument("--ignition-version", help="Ignition spec version to emit")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")
    parser.add_argument(
        "-c",
        "--config",
        type=Path,
        help="YAML mapping of hole values/options, or a cluster config (as generate -c takes)",
    )
    parser.set_defaults(func=run)


def _load_settings(path: Path) -> tuple[dict[str, object], dict[str, object], SourcedYAML | None]:
    """(hole values, node options, the document) from FILE; unknown keys are a `UserError`."""
    from typhoon_tf.inputs import CONFIG_LIMIT, display_name, read_text
    from typhoon_tf.nodes import HOLES
    from typhoon_tf.yamlsrc import load_yaml

    text = read_text(path, limit=CONFIG_LIMIT, what="node settings")
    doc = load_yaml(text, display_name(path))
    if doc.value is None:
        return {}, {}, None
    if not isinstance(doc.value, dict):
        raise doc.error((), "expected a mapping of node settings")
    values: dict[str, object] = {}
    options: dict[str, object] = {}
    for key, value in doc.value.items():
        if key in HOLES:
            values[key] = value
        elif key in OPTION_KEYS:
            if not isinstance(value, str):
                raise doc.error((key,), "expected a string")
            options[key] = value
        else:
            from typhoon_tf.config.load import did_you_mean

            known = ", ".join([*HOLES, *OPTION_KEYS])
            raise doc.error(
                (key,),
                f"unknown node setting{did_you_mean(key, [*HOLES, *OPTION_KEYS])} (expected "
                f"one of: {known}; or give a cluster config, with platform and cluster)",
            )
    return values, options, doc


def _is_cluster_config(path: Path) -> bool:
    """Whether FILE is a cluster config (what `generate -c` takes) rather than node settings."""
    from typhoon_tf.inputs import CONFIG_LIMIT, display_name, read_text
    from typhoon_tf.yamlsrc import load_yaml

    doc = load_yaml(read_text(path, limit=CONFIG_LIMIT, what="config"), display_name(path))
    return isinstance(doc.value, dict) and {"platform", "cluster"} <= set(doc.value)


def _run_cluster_config(args: argparse.Namespace) -> int:
    """`-c cluster.yaml`: the node as `generate` builds it from that cluster config (its
    platform, OS, SSH key, snippets, Ignition version); --platform/--os must agree."""
    from typhoon_tf.api import load_cluster_config, render_node
    from typhoon_tf.errors import UserError
    from typhoon_tf.nodes import to_json

    if args.pool is not None:  # the pool path takes the cluster config as --cluster
        args.cluster, args.config = args.config, None
        return run(args)
    config = load_cluster_config(args.config)
    for flag, given, actual, key in (
        ("--platform", args.platform, config.platform, "platform"),
        ("--os", args.os_name, config.os, "os"),
    ):
        if given is not None and given != actual:
            raise UserError(f"is {actual!r}, not {flag} {given}", file=str(args.config), path=key)
    if args.role is None:
        raise UserError("missing --role (controller or worker) for the cluster config's node")
    if args.ignition_version:
        config = dataclasses.replace(config, ignition_version=args.ignition_version)
    sys.stdout.write(to_json(render_node(config, args.role), pretty=args.pretty) + "\n")
    return 0


def _check_arguments(args: argparse.Namespace) -> None:
    from typhoon_tf.errors import UserError

    if args.pool is not None or args.cluster is not None:
        if args.pool is None or args.cluster is None:
            raise UserError("--pool and --cluster go together (a pool of a cluster config)")
        given = [f"--{n}" for n in ("platform", "os_name", "role") if getattr(args, n)]
        if given:
            shown = ", ".join(g.replace("_name", "") for g in given)
            raise UserError(f"--pool takes platform, OS and role from --cluster; drop {shown}")
        return
    missing = [f"--{n}" for n in ("platform", "os", "role") if not getattr(args, _DEST[n])]
    if missing:
        raise UserError(f"missing {', '.join(missing)} (or give --pool NAME --cluster FILE)")


_DEST = {"platform": "platform", "os": "os_name", "role": "role"}


def _run_pool(args: argparse.Namespace, values: dict[str, object]) -> int:
    from typhoon_tf.api import load_cluster_config, render_node
    from typhoon_tf.nodes import to_json

    config = load_cluster_config(args.cluster)
    if args.ignition_version:
        import dataclasses

        config = dataclasses.replace(config, ignition_version=args.ignition_version)
    rendered = render_node(config, "worker", values, pool=args.pool)
    sys.stdout.write(to_json(rendered, pretty=args.pretty) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    from typhoon_tf.errors import UserError
    from typhoon_tf.nodes import NodeOptions, hole_names, render, to_json

    if args.config is not None and args.cluster is None and _is_cluster_config(args.config):
        return _run_cluster_config(args)
    _check_arguments(args)
    values: dict[str, object] = {}
    raw_options: dict[str, object] = {}
    doc: SourcedYAML | None = None
    if args.config is not None:
        values, raw_options, doc = _load_settings(args.config)
    if args.pool is not None:
        if raw_options:
            raise UserError("with --pool, node options come from the cluster config")
        return _run_pool(args, values)
    from_file = set(values) | set(raw_options)
    if args.ignition_version:
        raw_options["ignition_version"] = args.ignition_version
        from_file.discard("ignition_version")
    options = dataclasses.replace(NodeOptions(), **raw_options)  # type: ignore[arg-type]
    try:
        wanted = set(hole_names(args.platform, args.os_name, args.role, options))
        applicable = {k: v for k, v in values.items() if k in wanted}
        config = render(args.platform, args.os_name, args.role, applicable, options)
    except UserError as err:
        # Point at the line of the file that set the offending value.
        if doc is not None and err.path in from_file:
            raise doc.error((err.path,), err.message) from None
        raise
    sys.stdout.write(to_json(config, pretty=args.pretty) + "\n")
    return 0
