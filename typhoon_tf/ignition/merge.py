"""Merge two spec-3 Ignition configs with Ignition's own rules (config/merge/merge.go).

Used to apply user snippets to node configs, exactly as `ignition.config.merge` (and
poseidon/ct's snippets) would at boot:

* objects merge recursively; a scalar is taken from the child when the child sets it
  (non-null), otherwise kept from the parent;
* keyed lists merge entries with the same key and append the child's other entries,
  parent order first: disks/filesystems by `device`, raid/luks by `name`, partitions
  by `number` (else `label`), tang servers by `url`, units/dropins/users/groups by
  `name`, HTTP headers by `name` (a child header without `value` deletes the parent's),
  resources (`config.merge`, CAs) by `source`, lists of strings by value (a union);
* `storage.files/directories/links` share one key space (the path): a child entry of
  one kind *replaces* a parent entry of another kind at the same path; likewise
  `kernelArguments.shouldExist/shouldNotExist` share the argument;
* lists Ignition marks "ignore duplicates" are concatenated: `files[].append`,
  filesystem `options`/`mountOptions`, luks `options`, raid `options`.

Every 3.x config is valid in any later 3.x version, so the result carries the newer
of the two versions. Known simplification: Ignition replaces non-pointer scalars
(e.g. a link `target` before spec 3.4) even with the child's zero value; here an
omitted field always keeps the parent's value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from typhoon_tf.errors import UserError

Json = Any
KeyFn = Callable[[Json], Json]


def _by(field: str) -> KeyFn:
    def key(item: Json) -> Json:
        value = item.get(field) if isinstance(item, dict) else None
        return "" if value is None else value

    return key


def _partition_key(item: Json) -> Json:
    item = item if isinstance(item, dict) else {}
    number = item.get("number") or 0
    # Ignition's Partition.Key(): the number when set, else the label (as strings).
    return str(number) if number else (item.get("label") or "")


def _value(item: Json) -> Json:
    return item


@dataclass(frozen=True)
class Keyed:
    """A list merged by key; lists sharing a `handle` share one key space."""

    item_type: str | None  # object type of the items; None for scalars
    key: KeyFn
    handle: str | None = None


@dataclass(frozen=True)
class Concat:
    """A list Ignition marks IgnoreDuplicates: parent items, then child items."""


@dataclass(frozen=True)
class Obj:
    type_name: str


Field = Keyed | Concat | Obj

STRINGS = Keyed(None, _value)
RESOURCES = Keyed("resource", _by("source"))

TYPES: dict[str, dict[str, Field]] = {
    "config": {
        "ignition": Obj("ignition"),
        "storage": Obj("storage"),
        "systemd": Obj("systemd"),
        "passwd": Obj("passwd"),
        "kernelArguments": Obj("kernelArguments"),
    },
    "ignition": {
        "config": Obj("ignitionConfig"),
        "security": Obj("security"),
        "proxy": Obj("proxy"),
    },
    "ignitionConfig": {"merge": RESOURCES, "replace": Obj("resource")},
    "security": {"tls": Obj("tls")},
    "tls": {"certificateAuthorities": RESOURCES},
    "proxy": {"noProxy": STRINGS},
    "resource": {"httpHeaders": Keyed("header", _by("name"))},
    "storage": {
        "disks": Keyed("disk", _by("device")),
        "raid": Keyed("raid", _by("name")),
        "filesystems": Keyed("filesystem", _by("device")),
        "luks": Keyed("luks", _by("name")),
        "files": Keyed("file", _by("path"), handle="node"),
        "directories": Keyed("node", _by("path"), handle="node"),
        "links": Keyed("node", _by("path"), handle="node"),
    },
    "disk": {"partitions": Keyed("partition", _partition_key)},
    "raid": {"devices": STRINGS, "options": Concat()},
    "filesystem": {"options": Concat(), "mountOptions": Concat()},
    "luks": {
        "keyFile": Obj("resource"),
        "options": Concat(),
        "openOptions": STRINGS,
        "clevis": Obj("clevis"),
    },
    "clevis": {"tang": Keyed("tang", _by("url"))},
    "file": {"contents": Obj("resource"), "append": Concat()},
    "systemd": {"units": Keyed("unit", _by("name"))},
    "unit": {"dropins": Keyed("dropin", _by("name"))},
    "passwd": {"users": Keyed("user", _by("name")), "groups": Keyed("group", _by("name"))},
    "user": {"sshAuthorizedKeys": STRINGS, "groups": STRINGS},
    "kernelArguments": {
        "shouldExist": Keyed(None, _value, handle="karg"),
        "shouldNotExist": Keyed(None, _value, handle="karg"),
    },
}


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """The config Ignition would run after merging `child` into `parent` (both spec 3)."""
    version = _newer_version(parent, child)
    # Ignition drops keys a config's own version does not define before merging; doing
    # the same keeps e.g. a 3.2 child's stray `kernelArguments` out of a 3.3 result.
    # (The pruned copies also keep the result from aliasing either input.)
    result = _merge_object(_parsed(parent), _parsed(child), "config")
    result.setdefault("ignition", {})["version"] = version
    return result


def _parsed(config: dict[str, Any]) -> dict[str, Any]:
    from typhoon_tf.ignition.validate import SUPPORTED_VERSIONS, known_keys_only, load_schema

    version = config["ignition"]["version"]
    if version not in SUPPORTED_VERSIONS:
        return copy.deepcopy(config)
    pruned: dict[str, Any] = known_keys_only(copy.deepcopy(config), load_schema(version))
    return pruned


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _spec3_version(config: Any, role: str) -> tuple[int, int, int]:
    ign = config.get("ignition") if isinstance(config, dict) else None
    version = ign.get("version") if isinstance(ign, dict) else None
    if not isinstance(version, str) or not version.startswith("3."):
        raise UserError(
            f"{role} config must be Ignition spec 3.x to merge (got {version!r})",
            path="ignition.version",
        )
    try:
        major, minor, patch = (int(p) for p in version.split("."))
    except ValueError:
        raise UserError(
            f"{role} config has an unsupported version {version!r}", path="ignition.version"
        ) from None
    return major, minor, patch


def _newer_version(parent: Any, child: Any) -> str:
    newest = max(_spec3_version(parent, "parent"), _spec3_version(child, "child"))
    return ".".join(str(n) for n in newest)


def _merge_object(parent: Any, child: Any, type_name: str | None) -> dict[str, Any]:
    parent = parent if isinstance(parent, dict) else {}
    child = child if isinstance(child, dict) else {}
    fields = TYPES.get(type_name or "", {})
    result: dict[str, Any] = {}
    handled: set[str] = set()
    for name, field in fields.items():
        if isinstance(field, Keyed) and field.handle is not None:
            continue  # merged together with the other lists of its handle below
        handled.add(name)
        if name in parent or name in child:
            value = _merge_field(field, parent.get(name), child.get(name))
            # Like Ignition's `omitempty`, a list that merged to nothing disappears.
            if value != []:
                result[name] = value
    for handle in sorted({f.handle for f in fields.values() if isinstance(f, Keyed) and f.handle}):
        group = {n: f for n, f in fields.items() if isinstance(f, Keyed) and f.handle == handle}
        merged = _merge_handle(group, parent, child)
        for name in group:
            if merged[name]:
                result[name] = merged[name]
            handled.add(name)
    for name in list(parent) + [k for k in child if k not in parent]:
        if name not in handled:
            result[name] = _merge_untyped(parent.get(name), child.get(name))
    return {k: result[k] for k in _key_order(parent, child) if k in result}


def _key_order(parent: dict[str, Any], child: dict[str, Any]) -> list[str]:
    return list(parent) + [k for k in child if k not in parent]


def _merge_field(field: Field, parent: Any, child: Any) -> Any:
    if isinstance(field, Obj):
        if parent is None and child is None:
            return None
        return _merge_object(parent, child, field.type_name)
    if isinstance(field, Concat):
        return _as_list(parent) + _as_list(child)
    return _merge_handle({"_": field}, {"_": parent}, {"_": child})["_"]


def _merge_handle(
    lists: dict[str, Keyed], parent: dict[str, Any], child: dict[str, Any]
) -> dict[str, list[Any]]:
    """Merge lists that share one key space (Ignition's "handle")."""
    child_index: dict[Any, tuple[str, Any]] = {}
    for name, field in lists.items():
        for item in _as_list(child.get(name)):
            child_index[_hashable(field.key(item))] = (name, item)
    out: dict[str, list[Any]] = {}
    for name, field in lists.items():
        merged: list[Any] = []
        parent_items = _as_list(parent.get(name))
        parent_keys = {_hashable(field.key(item)) for item in parent_items}
        for item in parent_items:
            found = child_index.get(_hashable(field.key(item)))
            if found is None:
                merged.append(item)
            elif found[0] == name:
                _append_merged(merged, field, item, found[1])
            # else: the child defines this key in another list; the parent's entry goes.
        for item in _as_list(child.get(name)):
            if _hashable(field.key(item)) not in parent_keys:
                merged.append(item)
        out[name] = merged
    return out


def _append_merged(out: list[Any], field: Keyed, parent_item: Any, child_item: Any) -> None:
    if field.item_type is None:
        out.append(child_item)
        return
    if field.item_type == "header" and _value_of(child_item) is None:
        return  # a child header with no value removes the parent's header
    out.append(_merge_object(parent_item, child_item, field.item_type))


def _value_of(header: Any) -> Any:
    return header.get("value") if isinstance(header, dict) else None


def _merge_untyped(parent: Any, child: Any) -> Any:
    if isinstance(parent, dict) and isinstance(child, dict):
        return _merge_object(parent, child, None)
    return parent if child is None else child


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value
