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

from typhoon_tf.errors import UserError


def transpile_snippets(snippets: list[str], variant: str, ignition_version: str) -> list[str]:
    """Translate each snippet (strict, as Typhoon's ct provider did) to a data: URL."""
    from typhoon_tf.butane import translate
    from typhoon_tf.butane.variant import declared_variant

    urls = []
    for index, text in enumerate(snippets):
        where = f"snippets[{index}]"
        declared = declared_variant(text)
        if declared is not None and declared != variant:
            raise UserError(
                f"snippet variant {declared!r} does not match the node OS (expected {variant!r})",
                file=where,
                path="variant",
            )
        config = translate(text, strict=True, source_name=where)
        if ignition_version.startswith("2."):
            from typhoon_tf.ignition.downconvert import downconvert

            config = downconvert(config, ignition_version)
        payload = json.dumps(config, separators=(",", ":"), sort_keys=False).encode()
        urls.append("data:;base64," + base64.b64encode(payload).decode())
    return urls


def run_butane_query(query: dict[str, Any]) -> dict[str, str]:
    """Answer one `external` data source query (see the module docstring)."""
    for key in ("snippets", "variant", "ignition_version"):
        if not isinstance(query.get(key), str):
            raise UserError(f"query needs a string {key!r}", path=key)
    try:
        snippets = json.loads(query["snippets"])
    except ValueError as err:
        raise UserError(f"not JSON: {err}", path="snippets") from None
    if not isinstance(snippets, list) or not all(isinstance(s, str) for s in snippets):
        raise UserError("must be a JSON list of strings", path="snippets")
    urls = transpile_snippets(snippets, query["variant"], query["ignition_version"])
    return {"data_urls": json.dumps(urls)}
