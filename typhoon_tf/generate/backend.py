"""The `terraform { backend ... }` file for shared, locked state (`generate --backend`).

    backend_block("s3", {"bucket": "acme-tf", "key": "tempest/terraform.tfstate",
                         "region": "us-east-1", "dynamodb_table": "tf-locks"})

Local state stays the default (no file). Each kind lists its options in the order they are
written; options are checked here so a typo fails at generate time, not at `terraform init`.
State holds the cluster's private keys, so s3 state is always encrypted at rest and every
backend locks (s3: a DynamoDB table, or `use_lockfile` on Terraform >= 1.10; gcs and
azurerm lock natively).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from typhoon_tf import hcl
from typhoon_tf.errors import UserError

BACKEND_FILE = "backend.tf"


@dataclass(frozen=True)
class Option:
    name: str
    kind: type  # str or bool
    required: bool = False
    pattern: str | None = None  # for str options
    rule: str = ""  # what the pattern means, for the message


_S3_BUCKET = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
_STATE_KEY = r"[^/\s][^\s]*"
OPTIONS: dict[str, tuple[Option, ...]] = {
    "s3": (
        Option("bucket", str, True, _S3_BUCKET, "3-63 lowercase letters, digits, '.' or '-'"),
        Option("key", str, True, _STATE_KEY, "a path without spaces, not starting with '/'"),
        Option("region", str, True, r"[a-z]{2}(-[a-z]+)+-[0-9]+", "an AWS region like us-east-1"),
        Option("dynamodb_table", str, pattern=r"[A-Za-z0-9_.-]{3,255}", rule="a table name"),
        Option("use_lockfile", bool),
        Option("encrypt", bool),
        Option("profile", str),
        Option("workspace_key_prefix", str),
    ),
    "gcs": (
        Option("bucket", str, True, r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]", "a GCS bucket name"),
        Option("prefix", str, pattern=_STATE_KEY, rule="a path without spaces, no leading '/'"),
    ),
    "azurerm": (
        Option("resource_group_name", str, True, r"[-\w._()]{1,90}", "a resource group name"),
        Option(
            "storage_account_name", str, True, r"[a-z0-9]{3,24}", "3-24 lowercase letters/digits"
        ),
        Option(
            "container_name",
            str,
            True,
            r"[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]",
            "3-63 lowercase letters, digits or single hyphens",
        ),
        Option("key", str, True, _STATE_KEY, "a blob name without spaces"),
        Option("use_azuread_auth", bool),
    ),
}
BACKEND_KINDS = tuple(OPTIONS)


def _as_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise UserError(f"must be true or false, not {value!r}", path=f"backend.{name}")


def _checked(option: Option, value: object) -> str | bool:
    if option.kind is bool:
        return _as_bool(option.name, value)
    if not isinstance(value, str) or not value:
        raise UserError(f"must be a non-empty string, not {value!r}", path=f"backend.{option.name}")
    if option.pattern and not re.fullmatch(option.pattern, value):
        raise UserError(f"{value!r} is not {option.rule}", path=f"backend.{option.name}")
    return value


def backend_options(kind: str, options: Mapping[str, object]) -> dict[str, str | bool]:
    """Validated options for `kind`, in the order they are written."""
    if kind not in OPTIONS:
        raise UserError(f"unknown backend {kind!r} (choose from {', '.join(BACKEND_KINDS)})")
    known = {o.name: o for o in OPTIONS[kind]}
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise UserError(
            f"the {kind} backend has no option {', '.join(map(repr, unknown))} "
            f"(options: {', '.join(known)})",
            path=f"backend.{unknown[0]}",
        )
    missing = [o.name for o in OPTIONS[kind] if o.required and o.name not in options]
    if missing:
        raise UserError(
            f"the {kind} backend needs {', '.join(missing)}", path=f"backend.{missing[0]}"
        )
    values = {o.name: _checked(o, options[o.name]) for o in OPTIONS[kind] if o.name in options}
    if kind == "s3":
        values = _s3_defaults(values)
    return values


def _s3_defaults(values: dict[str, str | bool]) -> dict[str, str | bool]:
    if "dynamodb_table" not in values and values.get("use_lockfile") is not True:
        raise UserError(
            "the s3 backend needs a state lock: dynamodb_table=<table> or use_lockfile=true "
            "(S3-native locking, Terraform >= 1.10)",
            path="backend.dynamodb_table",
        )
    if values.get("encrypt") is False:
        raise UserError(
            "state holds the cluster's private keys; an unencrypted s3 backend is not allowed",
            path="backend.encrypt",
        )
    values["encrypt"] = True
    order = [o.name for o in OPTIONS["s3"]]
    return dict(sorted(values.items(), key=lambda kv: order.index(kv[0])))


def backend_block(kind: str, options: Mapping[str, object]) -> str:
    """`backend.tf` text: a `terraform { backend "<kind>" { ... } }` block, fmt-canonical."""
    values = backend_options(kind, options)
    body: list[hcl.BodyItem] = [hcl.Attribute(name, value) for name, value in values.items()]
    comment = hcl.Comment(
        f"Shared Terraform state ({kind}). Generated by typhoon-tf; "
        "remove this file to keep state locally."
    )
    return hcl.render([comment, hcl.Block("terraform", [], [hcl.Block("backend", [kind], body)])])


__all__ = ["BACKEND_FILE", "BACKEND_KINDS", "backend_block", "backend_options"]
