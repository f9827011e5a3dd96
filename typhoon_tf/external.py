"""The external-data companion: Butane snippets given as Terraform variables → Ignition.

Terraform's `external` data source runs `typhoon-tf external butane` with a JSON object of
strings on stdin and expects a JSON object of strings on stdout (non-zero exit and a
message on stderr on failure). Query keys:

    snippets          JSON list of Butane documents (jsonencode(var.controller_snippets))
    variant           the Butane variant the node OS takes (fcos or flatcar)
    ignition_version  the node config's Ignition version (2.3.0 snippets are down-converted)

Result: `data_urls`, a JSON list of `data:` URLs of the Ignition configs, which the node
template places in `ignition.config.merge` (3.x) / `ignition.config.append` (2.3.0).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from typhoon_tf.config.ignition_versions import IGNITION_VERSIONS
from typhoon_tf.config.snippet_version import VARIANT_OS, declared_butane, newer_snippet_problem
from typhoon_tf.errors import UserError
from typhoon_tf.inputs import load_json

# Where the node's Ignition version comes from, for the fix in error messages.
_VERSION_ORIGIN = "the cluster config and regenerate the module"


def transpile_snippets(snippets: list[str], variant: str, ignition_version: str) -> list[str]:
    """Translate each snippet (strict, as Typhoon's ct provider did) to a data: URL."""
    from typhoon_tf.butane import translate

    _check_node(variant, ignition_version)
    urls = []
    for index, text in enumerate(snippets):
        where = f"snippets[{index}]"
        declared = declared_butane(text)
        if declared is not None and declared[0] != variant:
            raise UserError(
                f"snippet variant {declared[0]!r} does not match the node OS "
                f"(expected {variant!r})",
                file=where,
                path="variant",
            )
        problem = newer_snippet_problem(
            text, ignition_version, VARIANT_OS[variant], _VERSION_ORIGIN
        )
        if problem:
            raise UserError(problem, file=where, path="version")
        config = translate(text, strict=True, source_name=where)
        if ignition_version.startswith("2."):
            from typhoon_tf.ignition.downconvert import downconvert

            config = downconvert(config, ignition_version)
        payload = json.dumps(config, separators=(",", ":"), sort_keys=False).encode()
        urls.append("data:;base64," + base64.b64encode(payload).decode())
    return urls


def _check_node(variant: str, ignition_version: str) -> None:
    """The query's node variant and Ignition version are ones our node configs use."""
    if variant not in VARIANT_OS:
        raise UserError(
            f"unknown variant {variant!r}; expected one of: {', '.join(VARIANT_OS)}",
            path="variant",
        )
    versions = IGNITION_VERSIONS[VARIANT_OS[variant]]
    if ignition_version not in versions:
        raise UserError(
            f"{VARIANT_OS[variant]} nodes use Ignition {', '.join(versions)}, "
            f"not {ignition_version!r}",
            path="ignition_version",
        )


def run_butane_query(query: dict[str, Any], *, source: str = "<stdin>") -> dict[str, str]:
    """Answer one `external` data source query (see the module docstring)."""
    for key in ("snippets", "variant", "ignition_version"):
        if not isinstance(query.get(key), str):
            raise UserError(f"query needs a string {key!r}", file=source, path=key)
    snippets = load_json(query["snippets"], source, at=("snippets",))
    if not isinstance(snippets, list) or not all(isinstance(s, str) for s in snippets):
        raise UserError("must be a JSON list of strings", file=source, path="snippets")
    try:
        urls = transpile_snippets(snippets, query["variant"], query["ignition_version"])
    except UserError as err:
        raise err.with_file(source) from None
    return {"data_urls": json.dumps(urls)}
