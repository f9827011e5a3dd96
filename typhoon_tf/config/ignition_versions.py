"""The Ignition spec versions node configs may use, per OS: a constant with no imports, so
the `external butane` program (run at every `terraform plan` with snippets) can check a
query without loading the config schema (platform descriptions, YAML, JSON Schema)."""

from __future__ import annotations

from typing import Final

# Must equal the node profiles' versions (typhoon_tf.nodes.profiles); a test compares them.
IGNITION_VERSIONS: Final[dict[str, list[str]]] = {
    "fedora-coreos": ["3.3.0", "3.4.0", "3.5.0"],
    "flatcar-linux": ["3.3.0", "3.4.0", "2.3.0"],
}
