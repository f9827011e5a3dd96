"""Checks that run before plan/apply so a missing prerequisite fails in seconds, not minutes.

Each check has a name the user can skip (`--skip-preflight NAME`) and fails with a
`PreflightError` (a `UserError`, so exit 2) that says what to fix. A check whose optional
SDK (the `aws`/`gcp` extra) is not installed is not a failure: the cloud lookups are a
convenience, Terraform itself needs no Python library. It warns, says what it could not
check and how to install the extra, and the command goes on.

    tree       no `typhoon-tf generate` was interrupted halfway through switching the directory
               in (its journal is there: the tree may mix old and new files until the next run)
    terraform  the binary exists and is Terraform/OpenTofu >= 1.3 (versions.TERRAFORM_FLOOR)
    ssh-agent  an agent runs and holds the key matching the module's ssh_authorized_key
    aws        (AWS roots) credentials resolve; dns_zone_id is the Route53 zone for dns_zone
    gcp        (Google Cloud roots) the project and the dns_zone_name managed zone exist
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from typhoon_tf.driver.rootmodule import RootSettings
from typhoon_tf.driver.sshagent import AgentProblem, PublicKey, agent_keys
from typhoon_tf.errors import UserError
from typhoon_tf.terraform_binary import Binary, Choice, choose_binary
from typhoon_tf.versions import TERRAFORM_FLOOR

if TYPE_CHECKING:
    from typhoon_tf.cloud.aws import AwsSession
    from typhoon_tf.cloud.gcp import GcpClients


class PreflightError(UserError):
    def __init__(self, check: str, message: str) -> None:
        super().__init__(
            f"preflight {check}: {message} (skip this check with --skip-preflight {check})"
        )
        self.check = check


class PreflightUnchecked(Exception):
    """A check could not run because its optional SDK is missing (a warning, not an error)."""

    def __init__(self, check: str, what: str, reason: str) -> None:
        super().__init__(f"preflight {check}: not checked ({what}): {reason}")
        self.check = check


def _warn_stderr(message: str) -> None:
    print(f"typhoon-tf: warning: {message}", file=sys.stderr)


@dataclass
class PreflightContext:
    settings: RootSettings
    requested_binary: str | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    aws_session: AwsSession | None = None  # tests pass a boto3 session (moto)
    gcp_clients: GcpClients | None = None  # tests pass a stub
    binary: Binary | None = None
    choice: Choice | None = None  # how `binary` was chosen, for the line the driver prints
    warn: Callable[[str], None] = _warn_stderr
    unchecked: list[str] = field(default_factory=list)  # checks that warned instead of ran


def check_tree(ctx: PreflightContext) -> None:
    from typhoon_tf.generate.output_dir import interrupted_switch

    journal = interrupted_switch(ctx.settings.directory)
    if journal is not None:
        raise PreflightError(
            "tree",
            f"{ctx.settings.directory} is half-way through a regeneration a crash interrupted "
            f"({journal} exists), so old and new files may be mixed; run the same "
            "`typhoon-tf generate` again to finish it",
        )


def check_terraform(ctx: PreflightContext) -> None:
    try:
        choice = choose_binary(ctx.requested_binary, directory=ctx.settings.directory, env=ctx.env)
    except UserError as err:
        raise PreflightError("terraform", err.message) from None
    binary = choice.binary
    if not binary.meets_floor:
        wanted = ".".join(map(str, TERRAFORM_FLOOR))
        raise PreflightError(
            "terraform",
            f"{binary.path} is version {binary.version}; typhoon-tf needs >= {wanted} "
            f"({choice.reason}); name one with --binary",
        )
    ctx.binary, ctx.choice = binary, choice


def check_ssh_agent(ctx: PreflightContext) -> None:
    fingerprints = ctx.settings.get("ssh_fingerprints")
    if isinstance(fingerprints, list):  # DigitalOcean names keys by MD5 fingerprint
        _check_agent_fingerprints(ctx, [str(f).lower() for f in fingerprints])
        return
    raw = ctx.settings.get("ssh_authorized_key")
    if not isinstance(raw, str):
        raise PreflightError(
            "ssh-agent",
            "cannot tell which SSH key the cluster trusts: ssh_authorized_key is not a "
            f"literal or a resolvable var in {ctx.settings.directory}",
        )
    wanted = PublicKey.parse(raw)
    if wanted is None:
        raise PreflightError("ssh-agent", f"ssh_authorized_key is not a public key: {raw[:40]!r}")
    try:
        held = agent_keys(ctx.env)
    except AgentProblem as err:
        raise PreflightError("ssh-agent", str(err)) from None
    if not any(wanted.same_key(key) for key in held):
        names = ", ".join(k.short() for k in held) or "none"
        raise PreflightError(
            "ssh-agent",
            f"the ssh-agent does not hold the cluster's key ({wanted.short()}); it holds: "
            f"{names}. Add it with ssh-add <private key file>",
        )


def _check_agent_fingerprints(ctx: PreflightContext, wanted: list[str]) -> None:
    try:
        held = agent_keys(ctx.env)
    except AgentProblem as err:
        raise PreflightError("ssh-agent", str(err)) from None
    if not any(key.md5_fingerprint() in wanted for key in held):
        raise PreflightError(
            "ssh-agent",
            "the ssh-agent holds none of the keys in ssh_fingerprints "
            f"({', '.join(wanted) or 'none'}); add one with ssh-add <private key file>",
        )


_AWS_WHAT = "AWS credentials and the Route53 zone dns_zone_id"
_GCP_WHAT = "the Google Cloud project and the Cloud DNS zone dns_zone_name"


def check_aws(ctx: PreflightContext) -> None:
    from typhoon_tf.cloud import CloudProblem, MissingExtra, aws

    region = ctx.settings.provider.get("region")
    profile = ctx.settings.provider.get("profile")
    zone_id, dns_zone = ctx.settings.get("dns_zone_id"), ctx.settings.get("dns_zone")
    try:
        sess = ctx.aws_session or aws.session(
            region if isinstance(region, str) else None,
            profile if isinstance(profile, str) else None,
        )
        aws.check_credentials(sess)
        if isinstance(zone_id, str) and isinstance(dns_zone, str):
            aws.check_hosted_zone(sess, zone_id, dns_zone)
    except MissingExtra as err:
        raise PreflightUnchecked("aws", _AWS_WHAT, str(err)) from None
    except CloudProblem as err:
        raise PreflightError("aws", str(err)) from None


def check_gcp(ctx: PreflightContext) -> None:
    from typhoon_tf.cloud import CloudProblem, MissingExtra, gcp

    project = ctx.settings.provider.get("project") or ctx.env.get("GOOGLE_PROJECT")
    zone_name, dns_zone = ctx.settings.get("dns_zone_name"), ctx.settings.get("dns_zone")
    try:
        gcp.check_project_and_zone(
            project if isinstance(project, str) else None,
            zone_name if isinstance(zone_name, str) else None,
            dns_zone if isinstance(dns_zone, str) else None,
            ctx.gcp_clients,
        )
    except MissingExtra as err:
        raise PreflightUnchecked("gcp", _GCP_WHAT, str(err)) from None
    except CloudProblem as err:
        raise PreflightError("gcp", str(err)) from None


def _applies(name: str, settings: RootSettings) -> bool:
    if name == "ssh-agent":
        # Only a cluster module bootstraps over SSH; a root without one has no key to check.
        return bool({"ssh_authorized_key", "ssh_fingerprints"} & set(settings.cluster))
    platform_for = {"aws": "aws", "gcp": "google-cloud"}
    return name not in platform_for or settings.platform == platform_for[name]


CHECKS: dict[str, Callable[[PreflightContext], None]] = {
    "tree": check_tree,
    "terraform": check_terraform,
    "ssh-agent": check_ssh_agent,
    "aws": check_aws,
    "gcp": check_gcp,
}


def validate_skip_names(skip: Collection[str]) -> None:
    unknown = sorted(set(skip) - set(CHECKS))
    if unknown:
        raise UserError(
            f"--skip-preflight: unknown check(s) {', '.join(unknown)} "
            f"(choose from {', '.join(CHECKS)})"
        )


def run_preflight(ctx: PreflightContext, skip: Collection[str] = ()) -> list[str]:
    """Run every applicable check not in `skip`; return the names that ran (a check that
    only warned, for a missing SDK, is in `ctx.unchecked` instead)."""
    validate_skip_names(skip)
    ran = []
    for name, check in CHECKS.items():
        if name in skip or not _applies(name, ctx.settings):
            continue
        try:
            check(ctx)
        except PreflightUnchecked as unchecked:
            ctx.unchecked.append(name)
            ctx.warn(str(unchecked))
            continue
        ran.append(name)
    return ran
