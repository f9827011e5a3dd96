"""The rules Ignition's spec-2 branch (spec2x) enforces for 2.3.0 configs.

Spec 2 differs from spec 3 where it matters here: files, directories and links name
a `filesystem` (`"root"` or one declared under `storage.filesystems`), duplicate
entries are allowed (appending configs concatenates lists), files may set `append`
(a boolean) but not together with `overwrite: true`, filesystems are named and carry
either a `mount` object or a `path`, only sha512 hashes exist, and there is a
`networkd` section. There is no oracle binary for spec 2 on our machines, so these
checks are written from the spec2x documentation and err on the strict side.
"""

from __future__ import annotations

from typing import Any

from typhoon_tf.ignition.problem import KeyPath, Problem
from typhoon_tf.ignition.semantic3 import Spec3Checker, _list, _obj
from typhoon_tf.ignition.specrules import FS_LABEL_MAX

NETWORKD_SUFFIXES = (".link", ".netdev", ".network")
ROOT_FILESYSTEM = "root"


class Spec2Checker(Spec3Checker):
    """Spec 2.3 rules, reusing the spec-3 checks that did not change."""

    def check(self, config: dict[str, Any]) -> list[Problem]:
        self.ignition2(_obj(config.get("ignition")))
        storage = _obj(config.get("storage"))
        self.nodes2(storage)
        self.disks(_list(storage.get("disks")))
        self.raids(_list(storage.get("raid")))
        self.filesystems2(_list(storage.get("filesystems")))
        self.units(_list(_obj(config.get("systemd")).get("units")))
        self.networkd(_list(_obj(config.get("networkd")).get("units")))
        self.users2(_list(_obj(config.get("passwd")).get("users")))
        return self.problems

    def ignition2(self, ign: dict[str, Any]) -> None:
        config = _obj(ign.get("config"))
        for i, res in enumerate(_list(config.get("append"))):
            self.resource(("ignition", "config", "append", i), res, source_required=True)
        self.resource(
            ("ignition", "config", "replace"), config.get("replace"), source_required=False
        )
        cas_path: KeyPath = ("ignition", "security", "tls", "certificateAuthorities")
        cas = _list(_obj(_obj(ign.get("security")).get("tls")).get("certificateAuthorities"))
        for i, res in enumerate(cas):
            self.resource(cas_path + (i,), res, source_required=True)

    def nodes2(self, storage: dict[str, Any]) -> None:
        declared = {ROOT_FILESYSTEM} | {
            _obj(fs).get("name") for fs in _list(storage.get("filesystems"))
        }
        for kind in ("directories", "files", "links"):
            for i, node in enumerate(_list(storage.get(kind))):
                node = _obj(node)
                path: KeyPath = ("storage", kind, i)
                fs_name = node.get("filesystem")
                if not fs_name:
                    self.error(path + ("filesystem",), "no filesystem specified")
                elif fs_name not in declared:
                    self.error(path + ("filesystem",), f"filesystem {fs_name!r} is not defined")
                target = node.get("path")
                if not target:
                    self.error(path + ("path",), "path not specified")
                elif not target.startswith("/"):
                    self.error(path + ("path",), "path not absolute")
                self.owner(path + ("user",), node.get("user"))
                self.owner(path + ("group",), node.get("group"))
                if kind != "links":
                    self.mode(path + ("mode",), node.get("mode"))
                if kind == "files":
                    self.file2(path, node)
                if kind == "links" and not node.get("target"):
                    self.error(path + ("target",), "link target is required")

    def file2(self, path: KeyPath, node: dict[str, Any]) -> None:
        self.resource(path + ("contents",), node.get("contents"), source_required=False)
        if node.get("append") is True and node.get("overwrite") is True:
            self.error(path + ("overwrite",), "cannot append to a file and overwrite it")

    def filesystems2(self, filesystems: list[Any]) -> None:
        for i, fs in enumerate(filesystems):
            fs = _obj(fs)
            path: KeyPath = ("storage", "filesystems", i)
            mount = fs.get("mount")
            if mount is None and not fs.get("path"):
                self.error(path, "filesystem is missing mount or path")
            if mount is not None and fs.get("path"):
                self.error(path, "filesystem has both mount and path defined")
            if fs.get("path"):
                self.abs_path(path + ("path",), fs["path"])
            if mount is not None:
                self.mount2(path + ("mount",), mount)

    def mount2(self, path: KeyPath, mount: dict[str, Any]) -> None:
        self.abs_path(path + ("device",), mount.get("device"))
        fmt = mount.get("format")
        if fmt not in self.rules.fs_formats:
            self.error(path + ("format",), "invalid filesystem format")
        label = mount.get("label")
        limit = FS_LABEL_MAX.get(fmt or "")
        if label and limit and len(label) > limit:
            self.error(
                path + ("label",),
                f"filesystem labels cannot be longer than {limit} characters when using {fmt}",
            )
        if mount.get("create") is not None:
            self.warn(
                path + ("create",),
                "the create object has been deprecated in favor of mount-level options",
            )

    def units(self, units: list[Any]) -> None:
        # Duplicate unit names are legal in spec 2, so only per-unit checks apply.
        for i, unit in enumerate(units):
            path: KeyPath = ("systemd", "units", i)
            unit = _obj(unit)
            if unit.get("enable") is not None:
                self.warn(
                    path + ("enable",), "the enable field has been deprecated in favor of enabled"
                )
            self.unit(path, unit)

    def networkd(self, units: list[Any]) -> None:
        for i, unit in enumerate(units):
            unit = _obj(unit)
            path: KeyPath = ("networkd", "units", i)
            if not (unit.get("name") or "").endswith(NETWORKD_SUFFIXES):
                self.error(path + ("name",), "invalid networkd unit extension")
            for j, dropin in enumerate(_list(unit.get("dropins"))):
                if not (_obj(dropin).get("name") or "").endswith(".conf"):
                    self.error(path + ("dropins", j, "name"), "invalid networkd drop-in extension")

    def users2(self, users: list[Any]) -> None:
        for i, user in enumerate(users):
            if _obj(user).get("create") is not None:
                self.warn(
                    ("passwd", "users", i, "create"),
                    "the create object has been deprecated in favor of user-level options",
                )


def check_spec2(config: dict[str, Any], version: str) -> list[Problem]:
    return Spec2Checker(version).check(config)
