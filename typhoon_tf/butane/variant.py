"""Which Butane variant a document names, without translating it."""

from __future__ import annotations

import yaml


def declared_variant(text: str) -> str | None:
    """The `variant:` a Butane document names, or None (translate() reports bad YAML)."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    value = doc.get("variant") if isinstance(doc, dict) else None
    return value if isinstance(value, str) else None
