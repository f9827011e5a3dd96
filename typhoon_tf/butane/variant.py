"""Which Butane variant and version a document names, without translating it."""

from __future__ import annotations

import yaml

from typhoon_tf.butane.yamlparse import parse_yaml
from typhoon_tf.errors import UserError


def declared_spec(text: str) -> tuple[str | None, str | None]:
    """The top-level `variant:` and `version:` scalars a Butane document names (or None).

    Only the composer runs (no value construction, the translator's own reader), so a
    hostile document (alias bomb, deep nesting) costs nothing here; translate() reports it.
    """
    try:
        node = parse_yaml(text, "<snippet>")
    except UserError:
        return None, None
    found: dict[str, str] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                found.setdefault(str(key.value), str(value.value))
    return found.get("variant"), found.get("version")


def declared_variant(text: str) -> str | None:
    """The `variant:` a Butane document names, or None (translate() reports bad YAML)."""
    return declared_spec(text)[0]
