"""YAML loading that remembers where every value came from.

User errors must name the file, the key path and the line, so we compose the YAML
node tree ourselves and keep a map from key path to (line, column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from typhoon_tf.errors import UserError

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


class _Loader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys (a silent last-wins hides mistakes)."""


def load_yaml(text: str, file: str) -> SourcedYAML:
    """Parse one YAML document; syntax errors become a located UserError."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        raise UserError(
            f"invalid YAML: {err.problem or err}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as err:
        raise UserError(f"invalid YAML: {err}", file=file) from None
    doc = SourcedYAML(value=None, file=file)
    if node is None:
        return doc
    doc.value = _construct(node, (), doc)
    return doc


def _construct(node: yaml.Node, path: KeyPath, doc: SourcedYAML) -> Any:
    doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, path, doc)
            if not isinstance(key, str | int | bool) or isinstance(key, bool):
                raise doc.error(path, f"mapping keys must be strings, got {key!r}")
            key = str(key)
            if key in result:
                line = key_node.start_mark.line + 1
                raise UserError(
                    f"duplicate key {key!r}",
                    file=doc.file,
                    path=format_path((*path, key)),
                    line=line,
                    column=key_node.start_mark.column + 1,
                )
            doc.marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _construct(value_node, (*path, key), doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), doc) for i, item in enumerate(node.value)]
    return _scalar(node, path, doc)


def _scalar(node: yaml.Node, path: KeyPath, doc: SourcedYAML) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise doc.error(path, "complex mapping keys are not supported")
    try:
        return _construct_scalar_value(node)
    except yaml.YAMLError as err:
        raise doc.error(path, f"invalid value: {err}") from None


def _construct_scalar_value(node: yaml.Node) -> Any:
    # A throwaway loader resolves the scalar with YAML 1.1 tags (ints, bools, nulls) as PyYAML does.
    return _Loader("").construct_object(node, deep=True)
