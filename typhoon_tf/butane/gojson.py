"""JSON exactly as Go's encoding/json writes it, so output is byte-identical to Butane's.

Differences from Python's json: Go escapes `<`, `>`, `&` (HTML safety) and U+2028/U+2029,
and writes `\\b`/`\\f` as `\\u0008`/`\\u000c`. Key order is the dicts' insertion order
(the translator builds them in Go struct order). `pretty` matches MarshalIndent("", "  ").
"""

from __future__ import annotations

import json
import re
from typing import Any

_GO_ONLY_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_ESCAPE_SEQ = re.compile(r"\\(.)")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _go_escape(match: re.Match[str]) -> str:
    char = match.group(1)
    if char == "b":
        return "\\u0008"
    if char == "f":
        return "\\u000c"
    return match.group(0)


def dumps(value: Any, pretty: bool = False) -> str:
    if pretty:
        text = json.dumps(value, ensure_ascii=False, indent=2, separators=(",", ": "))
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # These characters only ever occur inside strings, so replacing them globally is safe.
    for char, escaped in _GO_ONLY_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    if "\\b" in text or "\\f" in text:
        # Walk escape sequences pairwise so "\\\\b" (an escaped backslash, then b) stays.
        text = _ESCAPE_SEQ.sub(_go_escape, text)
    if not text.isascii() and _SURROGATE.search(text):
        # Go replaces invalid UTF-8 (here: lone surrogates) with U+FFFD.
        text = _SURROGATE.sub("\ufffd", text)
    return text
