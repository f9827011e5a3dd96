"""The driver's commands as library calls: preflight → init → plan → guard → apply.

    from typhoon_tf.driver import Options, apply
    apply(Options(Path("tempest"), skip_preflight={"ssh-agent"}))

Each function returns normally on success and raises `UserError` (exit 2),
`TerraformFailed` (exit 1) or `Refused` (exit 3); `typhoon_tf.cli.tf_cmds` maps them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from typhoon_tf.driver.errors import Refused
from typhoon_tf.driver.guard import (
    CONTROLLER_TYPES,
    check_controller_replacement,
    check_destroy_confirmed,
    pool_changes,
)
from typhoon_tf.driver.preflight import (
    CHECKS,
    PreflightContext,
    run_preflight,
    validate_skip_names,
)
from typhoon_tf.driver.rootmodule import RootSettings, read_root_settings
from typhoon_tf.driver.terraform import (
    PLAN_FILE,
    OutputValue,
    Terraform,
    automation_env,
    count_changes,
    has_changes,
)
from typhoon_tf.errors import UserError
from typhoon_tf.terraform_binary import Binary, choose_binary

if TYPE_CHECKING:
    from typhoon_tf.cloud.aws import AwsSession
    from typhoon_tf.cloud.gcp import GcpClients

KUBECONFIG_OUTPUT = "kubeconfig-admin"


@dataclass
class Options:
    directory: Path
    binary: str | None = None
    raw: bool = False
    skip_preflight: Collection[str] = ()
    allow_controller_replacement: bool = False
    yes: bool = False
    controller_types: Collection[str] = CONTROLLER_TYPES
    env: dict[str, str] | None = None  # the environment Terraform and the checks see
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    aws_session: AwsSession | None = None
    gcp_clients: GcpClients | None = None


def _check_directory(directory: Path) -> None:
    if not directory.is_dir():
        raise UserError(f"{directory}: no such directory (pass the generated root with -C DIR)")


def preflight(opts: Options, checks: Collection[str] | None = None) -> Binary:
    """Run the preflight checks (all, or only `checks`), return the binary to use."""
    _check_directory(opts.directory)
    validate_skip_names(opts.skip_preflight)
    settings = (
        read_root_settings(opts.directory)
        if checks is None or set(checks) - {"terraform"}
        else RootSettings(opts.directory)
    )
    env = dict(os.environ if opts.env is None else opts.env)
    ctx = PreflightContext(
        settings,
        requested_binary=opts.binary,
        env=env,
        aws_session=opts.aws_session,
        gcp_clients=opts.gcp_clients,
        warn=lambda message: print(f"typhoon-tf: warning: {message}", file=opts.err),
    )
    skip = set(opts.skip_preflight)
    if checks is not None:
        skip |= set(CHECKS) - set(checks)
    run_preflight(ctx, skip)
    choice = ctx.choice or choose_binary(opts.binary, directory=opts.directory, env=env)
    # Which Terraform ran is part of every result (a venv's old one may shadow a newer one).
    opts.err.write(f"typhoon-tf: using {choice.describe()}\n")
    return choice.binary


def terraform_for(opts: Options, binary: Binary) -> Terraform:
    env = automation_env(base=opts.env)
    return Terraform(binary, opts.directory, env=env, raw=opts.raw, out=opts.out, err=opts.err)


def _ensure_init(tf: Terraform) -> None:
    # `terraform get` alone also creates .terraform/; only init writes the lock file.
    initialized = (tf.workdir / ".terraform").is_dir() and (
        tf.workdir / ".terraform.lock.hcl"
    ).is_file()
    if not initialized:
        tf.init()


def init(opts: Options) -> None:
    tf = terraform_for(opts, preflight(opts, checks=("terraform",)))
    tf.init()


def plan(opts: Options, plan_file: str = PLAN_FILE) -> dict[str, Any]:
    """Preflight, plan into `plan_file`, and refuse it if it replaces controllers."""
    tf = terraform_for(opts, preflight(opts))
    _ensure_init(tf)
    shown = tf.plan(plan_file)
    if not has_changes(shown):
        _remove(opts.directory / plan_file)
    try:
        _guard_controllers(opts, shown)
    except Refused:
        # A refused plan must not stay behind for a plain `terraform apply` to pick up.
        _remove(opts.directory / plan_file)
        raise
    return shown


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _guard_controllers(opts: Options, shown: dict[str, Any]) -> None:
    changes = check_controller_replacement(
        shown, allow=opts.allow_controller_replacement, types=opts.controller_types
    )
    for change in changes:
        opts.err.write(
            f"typhoon-tf: warning: {change} (allowed by --allow-controller-replacement)\n"
        )
    # Worker pools are not refused, but a roll or a destroy must not come as a surprise.
    for pool in pool_changes(shown):
        opts.err.write(f"typhoon-tf: note: {pool}\n")


def apply(opts: Options, saved_plan: str | None = None) -> dict[str, OutputValue]:
    """Plan (or take `saved_plan`), guard, apply; return the outputs."""
    tf = terraform_for(opts, preflight(opts))
    _ensure_init(tf)
    plan_file = saved_plan or PLAN_FILE
    shown = tf.show_plan(plan_file) if saved_plan else tf.plan(plan_file)
    try:
        _guard_controllers(opts, shown)
        tf.apply(plan_file, expected=count_changes(shown))
    finally:
        # A plan applies once (then it is stale), and it can hold sensitive values; a
        # refused one must not be left for a plain `terraform apply` either.
        _remove(opts.directory / plan_file)
    return tf.outputs()


def destroy(opts: Options) -> list[str]:
    """Plan a destroy, require `yes`, apply it; return the destroyed addresses."""
    tf = terraform_for(opts, preflight(opts, checks=("terraform", "aws", "gcp")))
    _ensure_init(tf)
    plan_file = "typhoon-tf-destroy.tfplan"
    shown = tf.plan(plan_file, destroy=True)
    try:
        doomed = check_destroy_confirmed(shown, yes=opts.yes)
        tf.apply(plan_file, expected=len(doomed))
    finally:
        _remove(opts.directory / plan_file)
    return doomed


def outputs(opts: Options) -> dict[str, OutputValue]:
    tf = terraform_for(opts, preflight(opts, checks=("terraform",)))
    return tf.outputs()


def write_private_file(path: Path, text: str) -> None:
    """Write `text` to `path` readable by the owner only (0600), also when it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(text)


def kubeconfig(opts: Options) -> str:
    """The admin kubeconfig from the root's sensitive `kubeconfig-admin` output."""
    values = outputs(opts)
    if KUBECONFIG_OUTPUT not in values:
        have = ", ".join(sorted(values)) or "none (has the cluster been applied?)"
        raise UserError(
            f"{opts.directory}: no output {KUBECONFIG_OUTPUT!r}; the root has outputs: {have}"
        )
    value = values[KUBECONFIG_OUTPUT]["value"]
    return value if isinstance(value, str) else json.dumps(value)
