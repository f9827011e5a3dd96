"""systemd unit-file syntax as Ignition checks it (go-systemd's `unit.Deserialize`).

Ignition parses every unit and drop-in body and rejects what the parser rejects; it
also warns when a unit is enabled but has no `[Install]` section. The parser is
lenient in places (text before the first section is skipped) and strict in others
(an option line without `=`, text after `]`, any physical line over 2048 bytes).
"""

from __future__ import annotations

from functools import lru_cache

LINE_MAX = 2048
_COMMENT = ("#", ";")


def unit_syntax_error(contents: str) -> str | None:
    """The parser's complaint about `contents`, or None when it parses."""
    return parse_unit(contents)[0]


def section_names(contents: str) -> list[str]:
    """Section names in order, assuming `unit_syntax_error(contents)` is None."""
    return list(parse_unit(contents)[1])


@lru_cache(maxsize=512)
def parse_unit(contents: str) -> tuple[str | None, tuple[str, ...]]:
    """(the parser's complaint or None, section names). Cached: node templates repeat
    the same unit bodies, and the rule book asks about each body more than once."""
    encoded = contents.encode("utf-8", "surrogatepass")
    if len(encoded) > LINE_MAX and any(len(line) > LINE_MAX for line in encoded.split(b"\n")):
        return f"line too long (max {LINE_MAX} bytes)", ()
    try:
        return None, tuple(_parse(contents))
    except ValueError as err:
        return str(err), ()


def _parse(text: str) -> list[str]:
    sections: list[str] = []
    pos = _skip_to_first_section(text, 0)
    while pos < len(text):
        # text[pos] == "["
        end = text.find("]", pos + 1)
        if end < 0:
            raise ValueError("unable to find end of section")
        sections.append(text[pos + 1 : end])
        pos = _after_section_name(text, end + 1)
        pos = _options(text, pos)
    return sections


def _skip_to_first_section(text: str, pos: int) -> int:
    """Before the first section everything except comments' content is ignored."""
    while pos < len(text):
        ch = text[pos]
        if ch == "[":
            return pos
        if ch in _COMMENT:
            pos = _end_of_line(text, pos)
        else:
            pos += 1
    return pos


def _after_section_name(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] != "\n":
        if not text[pos].isspace():
            garbage = text[pos : _end_of_line(text, pos)].rstrip()
            raise ValueError(f'found garbage after section name : "{garbage}"')
        pos += 1
    return pos


def _options(text: str, pos: int) -> int:
    """Consume option lines until the next section header; return its position."""
    while pos < len(text):
        ch = text[pos]
        if ch.isspace():
            pos += 1
        elif ch == "[":
            return pos
        elif ch in _COMMENT:
            pos = _end_of_line(text, pos)
        else:
            pos = _option(text, pos)
    return pos


def _option(text: str, pos: int) -> int:
    equals, newline = text.find("=", pos), text.find("\n", pos)
    if newline >= 0 and (equals < 0 or newline < equals):
        raise ValueError("unexpected newline encountered while parsing option name")
    if equals < 0:
        raise ValueError("EOF")
    pos = equals + 1
    # Value runs to the end of the line; a trailing backslash continues it.
    while pos < len(text):
        end = _end_of_line(text, pos)
        line = text[pos:end]
        pos = end
        if not line.rstrip().endswith("\\"):
            break
        pos += 1
    return pos


def _end_of_line(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end
