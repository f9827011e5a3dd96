"""Escaping literal text for HCL quoted strings and heredocs.

In both forms `${` and `%{` start template sequences, so literal occurrences are written
`$${` and `%%{`. Quoted strings additionally escape `"`, `\\` and control characters;
heredoc bodies take backslashes and quotes literally.

HCL normalises every string to Unicode NFC when it parses it (even escaped code points),
so a non-NFC string cannot survive a round trip whatever the escaping.
"""

from __future__ import annotations

import re

_SIMPLE_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Control characters (and DEL) have no literal form that survives every tool: \u-escape them.
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_HEREDOC_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_template_sequences(text: str) -> str:
    """Make `${` and `%{` literal (non-overlapping, so plain replacement is exact)."""
    return text.replace("${", "$${").replace("%{", "%%{")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _SIMPLE_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def quoted_literal(text: str) -> str:
    """The body (without the surrounding quotes) of a quoted string holding `text`."""
    return _NEEDS_ESCAPE.sub(_escape_char, escape_template_sequences(text))


def quote(text: str) -> str:
    """`text` as a complete HCL quoted string."""
    return f'"{quoted_literal(text)}"'


def _escape_non_ascii(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def quote_ascii(text: str) -> str:
    """`text` quoted with every non-ASCII character escaped.

    fmt aligns `=` by the grapheme-cluster width of what precedes it, which depends on the
    Unicode tables of the Terraform build; an all-ASCII key has one width everywhere.
    """
    return "".join(c if c.isascii() else _escape_non_ascii(c) for c in quote(text))


def heredoc_suitable(text: str) -> bool:
    """Whether `text` reads better as a heredoc and can be written as one exactly.

    A heredoc always ends in a newline, must span several lines, and cannot carry carriage
    returns or other control characters (they would be invisible or change line endings).
    """
    return (
        text.endswith("\n")
        and text.count("\n") >= 2
        and "\r" not in text
        and not _HEREDOC_UNSAFE.search(text)
    )


def heredoc_marker(lines: list[str]) -> str:
    """A closing marker that no content line could be mistaken for."""
    stripped = {line.strip() for line in lines}
    marker = "EOT"
    n = 0
    while marker in stripped:
        n += 1
        marker = f"EOT{n}"
    return marker


def can_indent_heredoc(lines: list[str]) -> bool:
    """Whether a `<<-` heredoc reproduces `lines` exactly once indented.

    `<<-` strips the smallest indentation of the non-blank lines, so one of them must start
    at column 0 in the original text or its own indentation would be stripped too.
    """
    return any(line.strip() and not line[0].isspace() for line in lines)
