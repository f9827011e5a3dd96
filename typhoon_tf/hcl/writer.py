"""Render the HCL model as `terraform fmt`-canonical text.

The writer first produces logical lines, then aligns `=` the way `terraform fmt` does: a run
of consecutive lines that each hold a complete `name = value` (no net open bracket) forms one
group, and every `=` in the group sits one space after the longest name. Lines that open a
multi-line value, close one, comments, blank lines and block headers end a group. A heredoc
belongs to the line that opens it, so it does not end a group (that is fmt's behaviour too).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from typhoon_tf.hcl.model import Attribute, Blank, Block, BodyItem, Comment, Expr, Template, Value
from typhoon_tf.hcl.strings import (
    can_indent_heredoc,
    escape_template_sequences,
    heredoc_marker,
    heredoc_suitable,
    quote_ascii,
    quoted_literal,
)

INDENT = "  "
# Single-line lists longer than this (including indentation) are written one item per line.
MAX_INLINE_WIDTH = 100
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Bare object keys that HCL would read as keywords or a `for` expression.
_RESERVED_KEYS = frozenset({"for", "in", "if", "true", "false", "null"})
# fmt re-encodes block labels it finds unusual and drops labels that look like templates
# (`$`, `%`, braces), so labels are printable ASCII needing no escape or template care.
_LABEL = re.compile(r"[\x20-\x7e]*")
_LABEL_FORBIDDEN = frozenset('"\\$%{}')


@dataclass(frozen=True)
class _Line:
    """One logical output line.

    `lead` is the text before ` = ` (aligned), `tail` the text after it. Lines without an
    aligned `=` have `tail is None` and `lead` holds the whole text. Either may contain
    newlines when a heredoc or a multi-line expression belongs to the line.
    """

    depth: int
    lead: str
    tail: str | None = None


def render(items: Iterable[Block | Attribute | Comment | Blank]) -> str:
    """Render top-level items (blocks set apart by blank lines) as file text."""
    lines = _body_lines(list(items), depth=0)
    return _format(lines)


def render_value(value: Value) -> str:
    """Render a lone value (as it would appear after `x = `) at indentation 0."""
    text = _format(_value_lines(value, depth=0, lead="", allow_heredoc=True))
    return text[:-1]


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.fullmatch(name))


def _require_identifier(name: str, what: str) -> None:
    if not is_identifier(name):
        raise ValueError(f"invalid HCL {what} name: {name!r}")


def _body_lines(items: Sequence[BodyItem], depth: int) -> list[_Line]:
    lines: list[_Line] = []
    previous: BodyItem | None = None
    for item in items:
        if _wants_blank_before(item, previous):
            lines.append(_Line(depth, ""))
        if isinstance(item, Attribute):
            _require_identifier(item.name, "attribute")
            lines.extend(_value_lines(item.value, depth, item.name, allow_heredoc=True))
        elif isinstance(item, Block):
            lines.extend(_block_lines(item, depth))
        elif isinstance(item, Comment):
            lines.extend(_Line(depth, f"# {t}".rstrip()) for t in item.text.split("\n"))
        elif isinstance(item, Blank) and lines and lines[-1].lead != "":
            lines.append(_Line(depth, ""))
        previous = item
    return lines


def _wants_blank_before(item: BodyItem, previous: BodyItem | None) -> bool:
    """A blank line sets every block apart from its neighbours (comments attach below)."""
    if previous is None or isinstance(previous, Comment | Blank) or isinstance(item, Blank):
        return False
    return isinstance(item, Block) or isinstance(previous, Block)


def _block_lines(block: Block, depth: int) -> list[_Line]:
    _require_identifier(block.type, "block type")
    for label in block.labels:
        if not _LABEL.fullmatch(label) or _LABEL_FORBIDDEN.intersection(label):
            raise ValueError(f"unsupported HCL block label: {label!r}")
    header = " ".join([block.type, *(f'"{label}"' for label in block.labels)])
    if not block.body:
        return [_Line(depth, f"{header} {{}}")]
    return [
        _Line(depth, f"{header} {{"),
        *_body_lines(block.body, depth + 1),
        _Line(depth, "}"),
    ]


def _value_lines(value: Value, depth: int, lead: str, allow_heredoc: bool) -> list[_Line]:
    """Lines for `lead = value` (or a bare value when `lead` is empty)."""
    prefix = f"{lead} = " if lead else ""
    if isinstance(value, Mapping):
        if not value:
            return [_assign(depth, lead, "{}")]
        return [
            _Line(depth, f"{prefix}{{"),
            *_object_lines(value, depth + 1),
            _Line(depth, "}"),
        ]
    if isinstance(value, list | tuple):
        inline = _inline_list(value)
        width = len(INDENT) * depth + len(prefix) + len(inline or "")
        if inline is not None and width <= MAX_INLINE_WIDTH:
            return [_assign(depth, lead, inline)]
        items = [_suffix(_value_lines(v, depth + 1, "", False), ",") for v in value]
        return [
            _Line(depth, f"{prefix}["),
            *(line for item in items for line in item),
            _Line(depth, "]"),
        ]
    text = _scalar(value, depth, allow_heredoc)
    if "\n" in text and not _opens_heredoc(text):
        # A multi-line expression opens a bracket on its first line: fmt does not align it.
        return [_Line(depth, prefix + text)]
    return [_assign(depth, lead, text)]


def _assign(depth: int, lead: str, text: str) -> _Line:
    return _Line(depth, lead, text) if lead else _Line(depth, text)


def _opens_heredoc(text: str) -> bool:
    return text.startswith("<<")


def _suffix(lines: list[_Line], suffix: str) -> list[_Line]:
    last = lines[-1]
    if last.tail is None:
        lines[-1] = _Line(last.depth, last.lead + suffix)
    else:
        lines[-1] = _Line(last.depth, last.lead, last.tail + suffix)
    return lines


def _object_lines(value: Mapping[str, Value], depth: int) -> list[_Line]:
    lines: list[_Line] = []
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"HCL object keys must be strings, not {type(key).__name__}")
        lines.extend(_value_lines(item, depth, _object_key(key), allow_heredoc=True))
    return lines


def _object_key(key: str) -> str:
    if is_identifier(key) and key not in _RESERVED_KEYS:
        return key
    return quote_ascii(key)


def _inline_list(value: Sequence[Value]) -> str | None:
    """`[a, b]` when every item is a one-line scalar, else None."""
    parts: list[str] = []
    for item in value:
        if isinstance(item, Mapping | list | tuple):
            if item:
                return None
            parts.append("{}" if isinstance(item, Mapping) else "[]")
            continue
        text = _scalar(item, 0, allow_heredoc=False)
        if "\n" in text:
            return None
        parts.append(text)
    return "[" + ", ".join(parts) + "]"


def _scalar(value: Value, depth: int, allow_heredoc: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"HCL has no literal for {value!r}")
        return repr(value)
    if isinstance(value, Expr):
        return _reindent(value.text, depth)
    if isinstance(value, str):
        return _string(Template(value), depth, allow_heredoc)
    if isinstance(value, Template):
        return _string(value, depth, allow_heredoc)
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def _reindent(text: str, depth: int) -> str:
    lines = text.split("\n")
    pad = INDENT * depth
    return "\n".join([lines[0], *((pad + line) if line else line for line in lines[1:])])


def _string(template: Template, depth: int, allow_heredoc: bool) -> str:
    parts = [p for p in template.parts if p != ""]
    if len(parts) == 1 and isinstance(parts[0], Expr):
        # fmt unwraps a lone interpolation ("${x}" -> x), so write the expression itself.
        return _reindent(parts[0].text, depth)
    # Interpolations are opaque: only literal text decides whether a heredoc fits.
    probe = "".join(p if isinstance(p, str) else "x" for p in template.parts)
    if allow_heredoc and heredoc_suitable(probe):
        return _heredoc(template, depth)
    body = "".join(_template_pieces(template, quoted_literal))
    return f'"{body}"'


def _template_pieces(template: Template, escape: Callable[[str], str]) -> list[str]:
    """Literal parts escaped, interpolations as `${...}`.

    A literal `$` right before an interpolation would turn `${` into the `$${` escape, so a
    trailing run of `$` is itself written as an interpolated string (`${"$"}`).
    """
    pieces: list[str] = []
    parts = template.parts
    for i, part in enumerate(parts):
        if isinstance(part, Expr):
            pieces.append("${" + part.text + "}")
            continue
        followed_by_interp = i + 1 < len(parts) and isinstance(parts[i + 1], Expr)
        dollars = len(part) - len(part.rstrip("$")) if followed_by_interp else 0
        pieces.append(escape(part[: len(part) - dollars]))
        if dollars:
            pieces.append('${"' + "$" * dollars + '"}')
    return pieces


def _heredoc(template: Template, depth: int) -> str:
    body = "".join(_template_pieces(template, escape_template_sequences))
    lines = body[:-1].split("\n")
    marker = heredoc_marker(lines)
    if not can_indent_heredoc(lines):
        return "\n".join([f"<<{marker}", *lines, marker])
    pad = INDENT * (depth + 1)
    # Whitespace-only lines are kept verbatim by HCL's `<<-` (not measured, not stripped).
    content = [pad + line if line.strip() else line for line in lines]
    return "\n".join([f"<<-{marker}", *content, INDENT * depth + marker])


def _format(lines: list[_Line]) -> str:
    widths = _aligned_widths(lines)
    out: list[str] = []
    for line, width in zip(lines, widths, strict=True):
        pad = INDENT * line.depth if line.lead or line.tail is not None else ""
        if line.tail is None:
            out.append(pad + line.lead if line.lead else "")
        else:
            out.append(f"{pad}{line.lead.ljust(width)} = {line.tail}")
    return "\n".join(out) + "\n"


def _aligned_widths(lines: list[_Line]) -> list[int]:
    """fmt's grouping: consecutive assignment lines align on the widest lead (with indent)."""
    widths = [0] * len(lines)
    group: list[int] = []

    def close() -> None:
        columns = max(len(INDENT) * lines[i].depth + len(lines[i].lead) for i in group)
        for i in group:
            widths[i] = columns - len(INDENT) * lines[i].depth
        group.clear()

    for i, line in enumerate(lines):
        if line.tail is None:
            if group:
                close()
        else:
            group.append(i)
    if group:
        close()
    return widths
