"""Merge generated Ignition (mount units, boot_device, grub) under the user's config.

Butane renders its sugar into a separate config and merges the user's translated
config *on top* with Ignition's merge rules, so generated entries come first and a
user entry with the same key (unit name, path, device...) overrides field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typhoon_tf.butane.igntypes import ORDER, SUBTYPES
from typhoon_tf.butane.translate import Origins

Entry = dict[str, Any]


def _partition_key(p: Entry) -> str:
    if p.get("number"):
        return f"number:{p['number']}"
    return f"label:{p['label']}" if "label" in p else ""


_KEYS: dict[tuple[str, str], Callable[[Entry], object]] = {
    ("Storage", "disks"): lambda e: e.get("device"),
    ("Storage", "filesystems"): lambda e: e.get("device"),
    ("Storage", "luks"): lambda e: e.get("name"),
    ("Storage", "raid"): lambda e: e.get("name"),
    ("Storage", "files"): lambda e: e.get("path"),
    ("Storage", "directories"): lambda e: e.get("path"),
    ("Storage", "links"): lambda e: e.get("path"),
    ("Disk", "partitions"): _partition_key,
    ("Systemd", "units"): lambda e: e.get("name"),
    ("Unit", "dropins"): lambda e: e.get("name"),
    ("Passwd", "users"): lambda e: e.get("name"),
    ("Passwd", "groups"): lambda e: e.get("name"),
    ("Clevis", "tang"): lambda e: e.get("url"),
    ("Resource", "httpHeaders"): lambda e: e.get("name"),
    ("IgnitionConfig", "merge"): lambda e: e.get("source"),
    ("TLS", "certificateAuthorities"): lambda e: e.get("source"),
}
# Lists Ignition concatenates without de-duplication.
_CONCAT = {
    ("File", "append"),
    ("Filesystem", "options"),
    ("Filesystem", "mountOptions"),
    ("Luks", "options"),
    ("Luks", "openOptions"),
    ("Raid", "options"),
}
_NODE_LISTS = ("files", "directories", "links")


def merge_configs(parent: Entry, child: Entry, origins: Origins) -> Entry:
    return _merge_struct(parent, child, "Config", origins)


def _merge_struct(parent: Entry, child: Entry, itype: str, origins: Origins) -> Entry:
    if itype == "Storage":
        parent = _drop_shadowed_nodes(parent, child)
    out: Entry = {}
    for jkey in ORDER[itype]:
        if jkey not in child:
            if jkey in parent:
                out[jkey] = parent[jkey]
            continue
        if jkey not in parent:
            out[jkey] = child[jkey]
            continue
        pv, cv = parent[jkey], child[jkey]
        sub = SUBTYPES.get((itype, jkey))
        if isinstance(pv, dict) and isinstance(cv, dict) and sub:
            out[jkey] = _merge_struct(pv, cv, sub, origins)
        elif isinstance(pv, list) and isinstance(cv, list):
            out[jkey] = _merge_list(pv, cv, itype, jkey, sub, origins)
        else:
            out[jkey] = cv
    origin = origins.get(child) or origins.get(parent)
    if origin is not None:
        origins.add(out, *origin)
    return out


def _merge_list(
    parent: list[Any], child: list[Any], itype: str, jkey: str, sub: str | None, origins: Origins
) -> list[Any]:
    if (itype, jkey) in _CONCAT:
        return parent + child
    key_of = _KEYS.get((itype, jkey))
    if sub is None or key_of is None:
        if sub is not None:
            return parent + child
        return parent + [v for v in child if v not in parent]  # lists of strings: a set
    merged = list(parent)
    index = {key_of(e): i for i, e in enumerate(parent) if key_of(e) not in (None, "")}
    for entry in child:
        key = key_of(entry)
        if key in (None, "") or key not in index:
            merged.append(entry)
        else:
            i = index[key]
            merged[i] = _merge_struct(merged[i], entry, sub, origins)
    return merged


def _drop_shadowed_nodes(parent: Entry, child: Entry) -> Entry:
    """A child file/dir/link replaces a parent node with the same path in another list."""
    result = dict(parent)
    for own in _NODE_LISTS:
        child_paths = {e.get("path") for e in child.get(own, [])}
        for other in _NODE_LISTS:
            if other == own or other not in result:
                continue
            kept = [e for e in result[other] if e.get("path") not in child_paths]
            if kept:
                result[other] = kept
            else:
                del result[other]
    return result
