"""The HCL document model: values, attributes, blocks and comments.

Plain Python values map to HCL literals (None → null, bool, int, float, str, list/tuple,
mapping → object). `Expr` is raw expression text that the writer emits verbatim, and
`Template` mixes literal text with `${...}` interpolations, so literal text never has to be
escaped by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True)
class Expr:
    """A raw HCL expression, written exactly as given (e.g. `Expr("var.cluster_name")`).

    Multi-line text is allowed; continuation lines are indented relative to the line the
    expression starts on, so write them as they would appear at indentation 0.
    """

    text: str


@dataclass(frozen=True)
class Template:
    """A string template: literal `str` parts are escaped, `Expr` parts become `${...}`."""

    parts: tuple[str | Expr, ...]

    def __init__(self, *parts: str | Expr) -> None:
        object.__setattr__(self, "parts", tuple(parts))


Value: TypeAlias = (
    "None | bool | int | float | str | Expr | Template | Sequence[Value] | Mapping[str, Value]"
)


@dataclass(frozen=True)
class Attribute:
    """`name = value` inside a block body."""

    name: str
    value: Value


@dataclass(frozen=True)
class Comment:
    """`# text` lines; attached to the item that follows (no blank line between)."""

    text: str


@dataclass(frozen=True)
class Blank:
    """An explicit blank line inside a body (ends an `=` alignment group)."""


@dataclass(frozen=True)
class Block:
    """`type "label" ... { body }`."""

    type: str
    labels: tuple[str, ...] = ()
    body: tuple[BodyItem, ...] = field(default_factory=tuple)

    def __init__(
        self, type: str, labels: Sequence[str] = (), body: Sequence[BodyItem] = ()
    ) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "labels", tuple(labels))
        object.__setattr__(self, "body", tuple(body))


BodyItem: TypeAlias = Attribute | Block | Comment | Blank
