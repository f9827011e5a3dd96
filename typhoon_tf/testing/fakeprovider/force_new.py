"""Which attribute changes force replacement, from `provider_facts.yaml` (the providers' ForceNew).

`replace_paths` compares a resource's prior state with its planned state along the table's
paths and returns the attribute paths that differ, in the protocol's step form (names, list
indices, map keys): Terraform core then plans a replace, as with the real providers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tf.types import Unknown

from typhoon_tf.testing.fakeprovider.facts import load_facts
from typhoon_tf.testing.fakeprovider.schema import JsonBlock
from typhoon_tf.testing.fakeprovider.values import canonical


class MapKey(str):
    """A map element's key in a path (an attribute name is a plain str)."""


Step = str | int
Path = tuple[Step, ...]


@dataclass(frozen=True)
class Conditional:
    """A path that forces replacement only when `when` holds (a provider CustomizeDiff)."""

    path: str
    attribute: str | None = None  # another attribute's planned value ...
    equals: Any = None  # ... must equal this
    changed_from: Any = None  # or: the old value ...
    changed_to: Any = None  # ... and the new value of `path`

    def holds(self, prior: Mapping[str, Any], planned: Mapping[str, Any]) -> bool:
        if self.attribute is not None:
            return bool(planned.get(self.attribute) == self.equals)
        old, new = _dotted(prior, self.path), _dotted(planned, self.path)
        return bool(old == self.changed_from and new == self.changed_to)


@dataclass(frozen=True)
class TypeRules:
    source: str
    force_new: tuple[str, ...] = ()
    conditional: tuple[Conditional, ...] = ()
    all_arguments: bool = False


def _dotted(value: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _conditional(raw: Mapping[str, Any]) -> Conditional:
    when: Mapping[str, Any] = raw["when"]
    return Conditional(
        path=str(raw["path"]),
        attribute=when.get("attribute"),
        equals=when.get("equals"),
        changed_from=when.get("changed_from"),
        changed_to=when.get("changed_to"),
    )


def parse_table(raw: Mapping[str, Any]) -> dict[str, TypeRules]:
    return {
        type_name: TypeRules(
            source=str(entry["source"]),
            force_new=tuple(str(p) for p in entry.get("force_new") or ()),
            conditional=tuple(_conditional(c) for c in entry.get("conditional") or ()),
            all_arguments=bool(entry.get("all_arguments", False)),
        )
        for type_name, entry in raw.items()
    }


@functools.cache
def load_table() -> dict[str, TypeRules]:
    return parse_table(load_facts())


def _contains_unknown(value: Any) -> bool:
    if value is Unknown:
        return True
    if isinstance(value, Mapping):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return False


def _differs(old: Any, new: Any) -> bool:
    # An unknown planned value may differ once known: the real SDK plans RequiresNew too.
    return _contains_unknown(new) or canonical(old) != canonical(new)


def _count(mode: str, value: Any) -> int:
    if value is None:
        return 0
    if mode in ("single", "group"):
        return 1
    return len(value)


def _project(block: JsonBlock, value: Any, parts: list[str]) -> Any:
    """The value of `parts` inside one element, flattened across nested collections."""
    if not parts:
        return value
    if value is None or value is Unknown:
        return None
    head, rest = parts[0], parts[1:]
    if head in block.get("attributes", {}):
        return value.get(head)
    nested = block["block_types"][head]
    inner = value.get(head)
    if nested["nesting_mode"] in ("single", "group"):
        return _project(nested["block"], inner, rest)
    items = inner.values() if isinstance(inner, Mapping) else inner or []
    return sorted(canonical(_project(nested["block"], item, rest)) for item in items)


def _walk(
    block: JsonBlock, parts: list[str], prior: Any, planned: Any, steps: Path, out: list[Path]
) -> None:
    head, rest = parts[0], parts[1:]
    old = prior.get(head) if isinstance(prior, Mapping) else None
    new = planned.get(head) if isinstance(planned, Mapping) else None
    here = (*steps, head)
    if head in block.get("attributes", {}):
        # Elements of a primitive collection inherit its ForceNew: any change replaces.
        if _differs(old, new):
            out.append(here)
        return
    nested = block["block_types"][head]
    mode, inner = nested["nesting_mode"], nested["block"]
    if not rest:
        # ForceNew on a nested block itself (SDKv2: its `.#` count) replaces when blocks are
        # added or removed; changes inside follow the nested attributes' own ForceNew.
        if new is Unknown or _count(mode, old) != _count(mode, new):
            out.append(here)
        return
    if new is Unknown:
        out.append(here)
    elif mode in ("single", "group"):
        _walk(inner, rest, old, new, here, out)
    elif mode == "list":
        old_list, new_list = old or [], new or []
        for index in range(max(len(old_list), len(new_list))):
            old_item = old_list[index] if index < len(old_list) else None
            new_item = new_list[index] if index < len(new_list) else None
            _walk(inner, rest, old_item, new_item, (*here, index), out)
    elif mode == "map":
        old_map, new_map = old or {}, new or {}
        for key in sorted(set(old_map) | set(new_map)):
            _walk(inner, rest, old_map.get(key), new_map.get(key), (*here, MapKey(key)), out)
    else:  # set: elements have no stable address; compare the projections of all elements
        old_proj = sorted(canonical(_project(inner, item, rest)) for item in old or [])
        new_proj = sorted(canonical(_project(inner, item, rest)) for item in new or [])
        if _contains_unknown(new) or old_proj != new_proj:
            out.append(here)


def replace_paths(
    rules: TypeRules, block: JsonBlock, prior: Mapping[str, Any], planned: Mapping[str, Any]
) -> list[Path]:
    """The attribute paths whose change forces replacement, deduplicated, in table order."""
    paths = [p for p in rules.force_new]
    paths += [c.path for c in rules.conditional if c.holds(prior, planned)]
    found: list[Path] = []
    for path in paths:
        _walk(block, path.split("."), prior, planned, (), found)
    return list(dict.fromkeys(found))
