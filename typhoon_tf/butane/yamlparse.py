"""Parse Butane YAML into a node tree with line/column marks, resolving scalars like yaml.v3.

Butane reads YAML with Go's yaml.v3 (YAML 1.2 rules), not YAML 1.1 like PyYAML's
constructors: `yes`/`on` are strings unless the field is a bool, `0644` is still octal,
`version: 1.4` is a float. So we only use PyYAML's composer (libyaml when available) for
syntax and marks, and resolve scalars ourselves against the field's expected type.
"""

from __future__ import annotations

import math
import re

import yaml

from typhoon_tf.errors import UserError

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Composer only: tags are ignored (scalars are resolved per target type), so the
    YAML 1.1 implicit resolver, the slowest part of composing, is skipped."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _TAGS[kind]


Mark = tuple[int, int]  # 1-based (line, column)

_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_YAML11_TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"})
_YAML11_FALSE = frozenset({"n", "N", "no", "No", "NO", "off", "Off", "OFF"})
_SPECIAL_FLOATS = frozenset(
    {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}
    | {"-.inf", "-.Inf", "-.INF"}
)
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|\Z)")
_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1
_DIGITS = {
    2: frozenset("01"),
    8: frozenset("01234567"),
    10: frozenset("0123456789"),
    16: frozenset("0123456789abcdefABCDEF"),
}


# PyYAML's composed nodes are used as they are (no copy): ScalarNode/SequenceNode/
# MappingNode with start marks. These helpers give the few views the decoder needs.
YNode = yaml.Node


def mark_of(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def is_plain(node: yaml.Node) -> bool:
    # libyaml reports the plain style as "", the pure-Python composer as None.
    return isinstance(node, yaml.ScalarNode) and not node.style


def parse_yaml(text: str, source_name: str) -> yaml.Node | None:
    """Parse one YAML document; None for an empty document."""
    try:
        # Like yaml.v3's Unmarshal, only the first document counts.
        node: yaml.Node | None = next(yaml.compose_all(text, Loader=_Loader), None)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = err.problem or err.context or "invalid YAML"
        raise UserError(
            f"invalid YAML: {problem}", file=source_name, line=line, column=col
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError) as err:
        raise UserError(f"invalid YAML: {err}", file=source_name) from None
    return node


def scalar_tag(node: yaml.Node) -> str:
    """The yaml.v3 tag a node resolves to, for error messages."""
    if isinstance(node, yaml.MappingNode):
        return "!!map"
    if isinstance(node, yaml.SequenceNode):
        return "!!seq"
    if not is_plain(node):
        return "!!str"
    return resolve_plain(node.value)[0]


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in _NULL


def resolve_plain(text: str) -> tuple[str, object]:
    """Resolve an unquoted scalar as yaml.v3 does: (tag, value)."""
    if text in _NULL:
        return "!!null", None
    if text in _TRUE:
        return "!!bool", True
    if text in _FALSE:
        return "!!bool", False
    if text in _SPECIAL_FLOATS:
        return "!!float", math.nan
    if text and (text[0].isdigit() or text[0] in "+-."):
        number = parse_go_int(text)
        if number is not None:
            return "!!int", number
        plain = text.replace("_", "")
        if _FLOAT.match(plain):
            return "!!float", float(plain)
        if _TIMESTAMP.match(text):
            return "!!timestamp", text
    return "!!str", text


def parse_go_int(text: str) -> int | None:
    """yaml.v3 integers: underscores dropped, then Go's strconv base-0 syntax."""
    plain = text.replace("_", "")
    sign = 1
    if plain[:1] in "+-" and plain:
        sign = -1 if plain[0] == "-" else 1
        plain = plain[1:]
    if not plain:
        return None
    base = 10
    digits = plain
    prefix = plain[:2].lower()
    if prefix == "0x":
        base, digits = 16, plain[2:]
    elif prefix == "0o":
        base, digits = 8, plain[2:]
    elif prefix == "0b":
        base, digits = 2, plain[2:]
    elif plain[0] == "0" and len(plain) > 1:
        base, digits = 8, plain[1:]
    if not digits or not set(digits) <= _DIGITS[base]:
        return None
    if len(digits.lstrip("0")) > 64:
        # Out of 64-bit range in any base, and int() refuses thousands of digits anyway.
        return None
    value = sign * int(digits, base)
    if value < _INT64_MIN or value > _UINT64_MAX:
        return None
    return value


def yaml11_bool(text: str) -> bool | None:
    """yaml.v3 still accepts YAML 1.1 spellings when the target field is a bool."""
    if text in _YAML11_TRUE:
        return True
    if text in _YAML11_FALSE:
        return False
    return None
