"""Decode the YAML node tree against the per-version schema, like yaml.v3 into Go structs.

Known keys become typed values (str/int/bool/list/`Obj`) remembering their marks;
keys the spec version does not know become "Unused key" warnings; a value of the
wrong type is an error ("cannot unmarshal !!str `0644` into int").
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from typhoon_tf.butane.capabilities import Spec
from typhoon_tf.butane.report import Mark, Report, YPath
from typhoon_tf.butane.schema import STRUCTS, TypeSpec
from typhoon_tf.butane.yamlparse import (
    YNode,
    is_null,
    is_plain,
    mark_of,
    resolve_plain,
    scalar_tag,
    yaml11_bool,
)
from typhoon_tf.inputs import BUTANE_VALUE_LIMIT, ExpansionBudget

_GO_INT_MIN, _GO_INT_MAX = -(2**63), 2**63 - 1


class Obj:
    """A decoded Butane struct: values by YAML key, plus where each came from."""

    __slots__ = ("kind", "path", "mark", "values", "value_marks")

    def __init__(self, kind: str, path: YPath, mark: Mark) -> None:
        self.kind = kind
        self.path = path
        self.mark = mark
        self.values: dict[str, Any] = {}
        self.value_marks: dict[str, Mark] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def has(self, key: str) -> bool:
        return key in self.values

    def mark_of(self, key: str) -> Mark:
        return self.value_marks.get(key, self.mark)

    def where(self, key: str) -> tuple[YPath, Mark]:
        """Path and mark to blame for a problem with `key` (the object if absent)."""
        if key in self.values:
            return self.path + (key,), self.value_marks[key]
        return self.path, self.mark

    def obj(self, key: str) -> Obj | None:
        value = self.values.get(key)
        return value if isinstance(value, Obj) else None

    def objs(self, key: str) -> list[Obj]:
        value = self.values.get(key)
        return value if isinstance(value, list) else []


class Decoder:
    def __init__(self, spec: Spec, report: Report) -> None:
        self.spec = spec
        self.report = report
        # Bounds the work anchors/aliases can cause ("billion laughs"); shared with yamlsrc.
        self.budget = ExpansionBudget(BUTANE_VALUE_LIMIT)

    def decode_struct(self, node: YNode, kind: str, path: YPath) -> Obj:
        mark = mark_of(node)
        self._spend(path, mark)
        obj = Obj(kind, path, mark)
        if is_null(node):
            return obj
        if not isinstance(node, yaml.MappingNode):
            raise self._type_error(node, kind.lower(), path)
        schema = STRUCTS[kind]
        seen: dict[str, Mark] = {}
        for key_node, value_node in self._pairs(node, path):
            is_scalar_key = isinstance(key_node, yaml.ScalarNode)
            key = key_node.value if is_scalar_key else ""
            if is_scalar_key and key in seen:
                raise self.report.fail(
                    f'mapping key "{key}" already defined at line {seen[key][0]}',
                    path + (key,),
                    mark_of(key_node),
                )
            seen[key] = mark_of(key_node)
            field_spec = schema.get(key) if is_scalar_key else None
            if field_spec is None or not self.spec.has(field_spec[1]):
                label = key if is_scalar_key else scalar_tag(key_node)
                self.report.warn(f"Unused key {label}", path + (label,), mark_of(key_node))
                continue
            if is_null(value_node):
                continue  # yaml.v3 leaves the Go pointer nil
            type_spec = field_spec[0]
            obj.values[key] = self.decode_value(value_node, type_spec, path + (key,))
            obj.value_marks[key] = mark_of(value_node)
        return obj

    def _pairs(self, node: YNode, path: YPath, depth: int = 0) -> list[tuple[YNode, YNode]]:
        """Mapping entries with YAML merge keys (`<<: *anchor`) expanded like yaml.v3."""
        pairs: list[tuple[YNode, YNode]] = node.value
        if not any(_is_merge_key(k) for k, _ in pairs):
            return pairs
        if depth > 50:
            raise self.report.fail("map merges are nested too deeply", path, mark_of(node))
        own = [(k, v) for k, v in pairs if not _is_merge_key(k)]
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        merged: list[tuple[YNode, YNode]] = []
        for key, value in pairs:
            if not _is_merge_key(key):
                continue
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise self.report.fail(
                        "map merge requires map or sequence of maps as the value",
                        path,
                        mark_of(value),
                    )
                for k, v in self._pairs(source, path, depth + 1):
                    label = k.value if isinstance(k, yaml.ScalarNode) else id(k)
                    if label in own_keys:
                        continue
                    own_keys.add(label)
                    merged.append((k, v))
        return merged + own

    def decode_value(self, node: YNode, type_spec: TypeSpec, path: YPath) -> Any:
        if isinstance(type_spec, tuple):
            return self._decode_list(node, type_spec[1], path)
        if type_spec == "str":
            return self._decode_str(node, path)
        if type_spec == "int":
            return self._decode_int(node, path)
        if type_spec == "bool":
            return self._decode_bool(node, path)
        return self.decode_struct(node, type_spec, path)

    def _decode_list(self, node: YNode, item_spec: TypeSpec, path: YPath) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            raise self._type_error(node, "list", path)
        out: list[Any] = []
        for index, item in enumerate(node.value):
            self._spend(path, mark_of(item))
            if is_null(item):
                out.append(self._zero(item_spec, path + (index,), mark_of(item)))
            else:
                out.append(self.decode_value(item, item_spec, path + (index,)))
        return out

    def _zero(self, type_spec: TypeSpec, path: YPath, mark: Mark) -> Any:
        """What yaml.v3 stores for a null list item: the type's zero value."""
        if type_spec == "str":
            return ""
        if type_spec == "int":
            return 0
        if type_spec == "bool":
            return False
        if isinstance(type_spec, tuple):
            return []
        return Obj(type_spec, path, mark)

    def _decode_str(self, node: YNode, path: YPath) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise self._type_error(node, "string", path)
        value: str = node.value
        return value

    def _decode_int(self, node: YNode, path: YPath) -> int:
        if is_plain(node):
            tag, value = resolve_plain(node.value)
            if tag == "!!int" and isinstance(value, int) and _GO_INT_MIN <= value <= _GO_INT_MAX:
                return value
            # yaml.v3 truncates a float into an int field when it fits.
            if (
                tag == "!!float"
                and isinstance(value, float)
                and math.isfinite(value)
                and _GO_INT_MIN <= value <= _GO_INT_MAX
            ):
                return int(value)
        raise self._type_error(node, "int", path)

    def _decode_bool(self, node: YNode, path: YPath) -> bool:
        if isinstance(node, yaml.ScalarNode):
            if is_plain(node):
                tag, value = resolve_plain(node.value)
                if tag == "!!bool" and isinstance(value, bool):
                    return value
            compat = yaml11_bool(node.value)
            if compat is not None:
                return compat
        raise self._type_error(node, "bool", path)

    def _type_error(self, node: YNode, target: str, path: YPath) -> Exception:
        tag = scalar_tag(node)
        shown = f" `{_shorten(node.value)}`" if isinstance(node, yaml.ScalarNode) else ""
        return self.report.fail(f"cannot unmarshal {tag}{shown} into {target}", path, mark_of(node))

    def _spend(self, path: YPath, mark: Mark) -> None:
        if not self.budget.spend():
            raise self.report.fail(self.budget.message, path, mark)


def _is_merge_key(node: YNode) -> bool:
    return is_plain(node) and node.value == "<<"


def _shorten(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= 40 else one_line[:37] + "..."
