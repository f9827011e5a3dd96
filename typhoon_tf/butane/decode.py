"""Decode the YAML node tree against the per-version schema, like yaml.v3 into Go structs.

Known keys become typed values (str/int/bool/list/`Obj`) remembering their marks;
keys the spec version does not know become "Unused key" warnings; a value of the
wrong type is an error ("cannot unmarshal !!str `0644` into int").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from typhoon_tf.butane.capabilities import Spec
from typhoon_tf.butane.report import Mark, Report, YPath
from typhoon_tf.butane.schema import STRUCTS, TypeSpec
from typhoon_tf.butane.yamlparse import YNode, is_null, resolve_plain, scalar_tag, yaml11_bool

# Bounds the work anchors/aliases can cause ("billion laughs").
_MAX_DECODED_NODES = 2_000_000
_GO_INT_MIN, _GO_INT_MAX = -(2**63), 2**63 - 1


@dataclass(slots=True)
class Obj:
    """A decoded Butane struct: values by YAML key, plus where each came from."""

    kind: str
    path: YPath
    mark: Mark
    values: dict[str, Any] = field(default_factory=dict)
    value_marks: dict[str, Mark] = field(default_factory=dict)
    item_marks: dict[str, list[Mark]] = field(default_factory=dict)

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
        self.budget = _MAX_DECODED_NODES

    def decode_struct(self, node: YNode, kind: str, path: YPath) -> Obj:
        self._spend(path, node.mark)
        obj = Obj(kind, path, node.mark)
        if is_null(node):
            return obj
        if node.kind != "map":
            raise self._type_error(node, kind.lower(), path)
        schema = STRUCTS[kind]
        seen: dict[str, Mark] = {}
        for key_node, value_node in self._pairs(node, path):
            key = key_node.value if key_node.kind == "scalar" else ""
            if key_node.kind == "scalar" and key in seen:
                raise self.report.fail(
                    f'mapping key "{key}" already defined at line {seen[key][0]}',
                    path + (key,),
                    key_node.mark,
                )
            seen[key] = key_node.mark
            field_spec = schema.get(key) if key_node.kind == "scalar" else None
            if field_spec is None or not self.spec.has(field_spec[1]):
                label = key if key_node.kind == "scalar" else scalar_tag(key_node)
                self.report.warn(f"Unused key {label}", path + (label,), key_node.mark)
                continue
            if is_null(value_node):
                continue  # yaml.v3 leaves the Go pointer nil
            type_spec = field_spec[0]
            obj.values[key] = self.decode_value(value_node, type_spec, path + (key,))
            obj.value_marks[key] = value_node.mark
            if isinstance(type_spec, tuple) and value_node.items is not None:
                obj.item_marks[key] = [item.mark for item in value_node.items]
        return obj

    def _pairs(self, node: YNode, path: YPath) -> list[tuple[YNode, YNode]]:
        """Mapping entries with YAML merge keys (`<<: *anchor`) expanded like yaml.v3."""
        assert node.pairs is not None
        if not any(k.kind == "scalar" and k.plain and k.value == "<<" for k, _ in node.pairs):
            return node.pairs
        merged: list[tuple[YNode, YNode]] = []
        own = [(k, v) for k, v in node.pairs if not (k.kind == "scalar" and k.value == "<<")]
        own_keys = {k.value for k, _ in own if k.kind == "scalar"}
        for key, value in node.pairs:
            if not (key.kind == "scalar" and key.plain and key.value == "<<"):
                continue
            sources = value.items if value.kind == "seq" and value.items is not None else [value]
            for source in sources:
                if source.kind != "map" or source.pairs is None:
                    raise self.report.fail(
                        "map merge requires map or sequence of maps as the value",
                        path,
                        value.mark,
                    )
                for k, v in self._pairs(source, path):
                    if k.kind == "scalar" and k.value in own_keys:
                        continue
                    own_keys.add(k.value)
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
        if node.kind != "seq" or node.items is None:
            raise self._type_error(node, "list", path)
        out: list[Any] = []
        for index, item in enumerate(node.items):
            self._spend(path, item.mark)
            if is_null(item):
                out.append(self._zero(item_spec, path + (index,), item.mark))
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
        if node.kind != "scalar":
            raise self._type_error(node, "string", path)
        return node.value

    def _decode_int(self, node: YNode, path: YPath) -> int:
        if node.kind == "scalar" and node.plain:
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
        if node.kind == "scalar":
            if node.plain:
                tag, value = resolve_plain(node.value)
                if tag == "!!bool" and isinstance(value, bool):
                    return value
            compat = yaml11_bool(node.value)
            if compat is not None:
                return compat
        raise self._type_error(node, "bool", path)

    def _type_error(self, node: YNode, target: str, path: YPath) -> Exception:
        tag = scalar_tag(node)
        shown = f" `{_shorten(node.value)}`" if node.kind == "scalar" else ""
        return self.report.fail(f"cannot unmarshal {tag}{shown} into {target}", path, node.mark)

    def _spend(self, path: YPath, mark: Mark) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise self.report.fail("document is too large after expanding aliases", path, mark)


def _shorten(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= 40 else one_line[:37] + "..."
