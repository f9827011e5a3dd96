"""YAML loading that remembers where every value came from.

User errors must name the file, the key path and the line, so we compose the YAML
node tree ourselves and keep a map from key path to (line, column).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

import yaml

from typhoon_tf.errors import UserError
from typhoon_tf.inputs import CONFIG_VALUE_LIMIT, YAML_DEPTH_LIMIT, ExpansionBudget

KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """Render a key path the way users write it: `cluster.worker_count`, `snippets.controller.0`."""
    return ".".join(str(p) for p in path) if path else "(top level)"


@dataclass
class SourcedYAML:
    """A parsed YAML document plus the source position of each key path."""

    value: Any
    file: str
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def error(self, path: KeyPath, message: str) -> UserError:
        """A UserError located at `path` (or the nearest parent that has a position)."""
        probe = path
        while probe not in self.marks and probe:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (None, None))
        return UserError(message, file=self.file, path=format_path(path), line=line, column=column)


# libyaml's composer when present: fast, and it reports too-deep nesting with a position
# instead of recursing; the pure-Python one is the fallback (its RecursionError is caught).
_ComposeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1


class _Loader(_ComposeLoader):  # type: ignore[misc]
    """Composes the node tree; `_construct` builds values from it (so duplicate keys,
    alias expansion and nesting are ours to check)."""


def load_yaml(text: str, file: str, *, value_limit: int = CONFIG_VALUE_LIMIT) -> SourcedYAML:
    """Parse one YAML document; syntax errors become a located UserError.

    Aliases may expand to at most `value_limit` values and documents may nest at most
    `YAML_DEPTH_LIMIT` levels, so a small hostile file cannot make us build gigabytes
    ("billion laughs") or recurse without end (an alias inside its own anchor).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise UserError(
            f"invalid YAML: {err.problem or err.context or err}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as err:
        raise UserError(f"invalid YAML: {err}", file=file) from None
    except RecursionError:  # the pure-Python composer on deeply nested input
        raise UserError(
            f"invalid YAML: nested more than {YAML_DEPTH_LIMIT} levels deep", file=file
        ) from None
    doc = SourcedYAML(value=None, file=file)
    if node is None:
        return doc
    builder = _Builder(doc, ExpansionBudget(value_limit))
    doc.value = builder.construct(node, ())
    return doc


class _Builder:
    """Builds Python values from composed nodes, within the budget, depth and alias rules."""

    def __init__(self, doc: SourcedYAML, budget: ExpansionBudget) -> None:
        self.doc = doc
        self.budget = budget
        self.active: set[int] = set()  # ids of the nodes being built: an alias back is a cycle
        self.scalars = _Loader("")  # one constructor per document, reused for every scalar

    def construct(self, node: yaml.Node, path: KeyPath) -> Any:
        doc = self.doc
        # A mapping value keeps its key's position (set by `mapping`): errors point at the
        # key the user wrote, not at the value or, for a block mapping, its first child.
        doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if not self.budget.spend():
            raise doc.error(path, self.budget.message)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.active:
            raise doc.error(path, "recursive alias: the value contains itself")
        if len(path) >= YAML_DEPTH_LIMIT:
            raise doc.error(path, f"nested more than {YAML_DEPTH_LIMIT} levels deep")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            return [self.construct(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        doc = self.doc
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise doc.error(path, "complex mapping keys are not supported")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise doc.error(path, "YAML merge keys (<<) are not supported; write the keys out")
            key = self.scalar(key_node, path)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise doc.error(path, f"mapping keys must be strings, got {key!r}")
            key = str(key)
            if key in result:
                raise UserError(
                    f"duplicate key {key!r}",
                    file=doc.file,
                    path=format_path((*path, key)),
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            doc.marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.construct(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        try:
            # The YAML 1.1 tags (ints, bools, nulls) as PyYAML resolves them.
            value = self.scalars.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise self.doc.error(path, f"invalid value: {err}") from None
        except ValueError as err:  # e.g. an integer of thousands of digits
            raise self.doc.error(path, f"invalid value: {err}") from None
        problem = _scalar_problem(value, node.value)
        if problem:
            raise self.doc.error(path, problem)
        return value


def _scalar_problem(value: object, text: str) -> str | None:
    """Why a YAML scalar cannot be used in our documents (they become JSON and HCL)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, int):
        in_range = _INT_MIN <= value <= _INT_MAX
        return None if in_range else f"integer {_shorten(text)} is out of range (64 bits)"
    if isinstance(value, float):
        finite = math.isfinite(value)
        return None if finite else f"{_shorten(text)} is not a finite number (no .nan or .inf)"
    if isinstance(value, datetime.date):
        return "dates and times are not supported here; quote the value to make it a string"
    return f"{type(value).__name__} values are not supported here"


def _shorten(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"
