"""The one Jinja setup for every template we render (node Butane, platform HCL, addons).

Generated text is not HTML (no autoescape); a misspelt variable must fail, not render as
nothing (StrictUndefined); block tags must not leave blank lines or indentation behind, and
a template's final newline is kept, so the output is byte-stable and `terraform fmt`-clean.
"""

from __future__ import annotations

from collections.abc import Sequence

import jinja2


def environment(
    loader: jinja2.BaseLoader | None = None, extensions: Sequence[str] = ()
) -> jinja2.Environment:
    """A Jinja environment with our settings; `loader` for templates that include others."""
    return jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        extensions=list(extensions),
    )


# For templates rendered from their text (`STRINGS.from_string(text)`).
STRINGS = environment()
