"""The rules Ignition (spec 3.x) enforces beyond the JSON structure.

Messages are Ignition's own wording so users can search for them. Input has already
passed the version's JSON Schema, so types are right (values may still be null).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from typhoon_tf.ignition.paths import ancestors, path_error
from typhoon_tf.ignition.problem import KeyPath, Problem
from typhoon_tf.ignition.unitfile import section_names, unit_syntax_error
from typhoon_tf.ignition.urls import parse_error, source_error, url_scheme

DUPLICATE = "duplicate entry defined"
UNIT_SUFFIXES = frozenset(
    {
        ".service",
        ".socket",
        ".device",
        ".mount",
        ".automount",
        ".swap",
        ".target",
        ".path",
        ".timer",
        ".snapshot",
        ".slice",
        ".scope",
    }
)
FS_FORMATS = frozenset({"ext4", "btrfs", "xfs", "vfat", "swap"})
FS_LABEL_MAX = {"ext4": 16, "xfs": 12, "vfat": 11, "btrfs": 256}
RAID_LEVELS = frozenset(
    {
        "linear",
        "raid0",
        "0",
        "stripe",
        "raid1",
        "1",
        "mirror",
        "raid4",
        "4",
        "raid5",
        "5",
        "raid6",
        "6",
        "raid10",
        "10",
    }
)
CLEVIS_PINS = frozenset({"tpm2", "tang", "sss"})
HASH_HEX_LEN = {"sha512": 128, "sha256": 64}
GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
MODE_MAX = 0o7777
SPECIAL_MODE_BITS = 0o7000


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Spec3Checker:
    """Collects the semantic problems of one spec-3 config."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.minor = int(version.split(".")[1])
        self.hash_functions: tuple[str, ...] = (
            ("sha512",)
            if self.minor == 0
            else (
                "sha512",
                "sha256",
            )
        )
        self.problems: list[Problem] = []

    def error(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(path, message))

    def warn(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(path, message, "warning"))

    # --- generic helpers --------------------------------------------------------------

    def duplicates(
        self, base: KeyPath, items: Iterable[tuple[KeyPath, Any]], *, skip_empty: bool = False
    ) -> None:
        """Report every entry whose key already appeared earlier in `items`."""
        seen: set[Any] = set()
        for path, key in items:
            if skip_empty and key in (None, ""):
                continue
            if key in seen:
                self.error(path, DUPLICATE)
            seen.add(key)

    def keyed(self, base: KeyPath, entries: list[Any], field: str) -> list[tuple[KeyPath, Any]]:
        return [(base + (i,), _obj(e).get(field)) for i, e in enumerate(entries)]

    def strings(self, base: KeyPath, values: list[Any]) -> list[tuple[KeyPath, Any]]:
        return [(base + (i,), v) for i, v in enumerate(values)]

    def resource(self, path: KeyPath, res: Any, *, source_required: bool) -> None:
        if res is None:
            return
        source = res.get("source")
        if source is None:
            if source_required:
                self.error(path, "source is required")
        else:
            problem = source_error(source, self.version)
            if problem:
                self.error(path + ("source",), problem)
        compression = res.get("compression")
        if compression not in (None, "", "gzip"):
            self.error(path + ("compression",), "invalid compression method")
        self.http_headers(path + ("httpHeaders",), _list(res.get("httpHeaders")), source)
        hash_spec = _obj(res.get("verification")).get("hash")
        if hash_spec is not None:
            problem = self.hash_error(hash_spec)
            if problem:
                self.error(path + ("verification", "hash"), problem)

    def http_headers(self, path: KeyPath, headers: list[Any], source: str | None) -> None:
        if not headers:
            return
        if url_scheme(source or "") not in ("http", "https"):
            self.error(path, "cannot use HTTP headers with this source scheme")
        for i, header in enumerate(headers):
            if not _obj(header).get("name"):
                self.error(path + (i, "name"), "HTTP header name can't be empty")
        self.duplicates(path, self.keyed(path, headers, "name"))

    def hash_error(self, spec: str) -> str | None:
        function, dash, digest = spec.partition("-")
        if not dash:
            return "malformed hash specifier"
        if function not in self.hash_functions:
            return "unrecognized hash function"
        if len(digest) != HASH_HEX_LEN[function]:
            return "incorrect size for hash sum"
        return None

    def abs_path(self, path: KeyPath, value: str | None) -> None:
        problem = path_error(value)
        if problem:
            self.error(path, problem)

    # --- sections ---------------------------------------------------------------------

    def check(self, config: dict[str, Any]) -> list[Problem]:
        self.ignition(_obj(config.get("ignition")))
        storage = _obj(config.get("storage"))
        self.nodes(storage, _obj(config.get("systemd")))
        self.disks(_list(storage.get("disks")))
        self.raids(_list(storage.get("raid")))
        self.filesystems(_list(storage.get("filesystems")))
        self.luks(_list(storage.get("luks")))
        self.units(_list(_obj(config.get("systemd")).get("units")))
        self.passwd(_obj(config.get("passwd")))
        self.kernel_arguments(_obj(config.get("kernelArguments")))
        return self.problems

    def ignition(self, ign: dict[str, Any]) -> None:
        base: KeyPath = ("ignition",)
        config = _obj(ign.get("config"))
        merges = _list(config.get("merge"))
        for i, res in enumerate(merges):
            self.resource(base + ("config", "merge", i), res, source_required=self.minor >= 1)
        self.duplicates(base, self.keyed(base + ("config", "merge"), merges, "source"))
        self.resource(base + ("config", "replace"), config.get("replace"), source_required=False)
        cas_path = base + ("security", "tls", "certificateAuthorities")
        cas = _list(_obj(_obj(ign.get("security")).get("tls")).get("certificateAuthorities"))
        for i, res in enumerate(cas):
            self.resource(cas_path + (i,), res, source_required=True)
            if self.minor == 0 and _obj(res).get("source") == "":
                self.error(cas_path + (i, "source"), "invalid url scheme")
        self.duplicates(cas_path, self.keyed(cas_path, cas, "source"))
        self.proxy(base + ("proxy",), _obj(ign.get("proxy")))

    def proxy(self, base: KeyPath, proxy: dict[str, Any]) -> None:
        for field in ("httpProxy", "httpsProxy"):
            value = proxy.get(field)
            if value is None:
                continue
            if parse_error(value) or url_scheme(value) not in ("http", "https"):
                self.error(base + (field,), "proxies must be http(s)")
            elif field == "httpsProxy" and url_scheme(value) == "http":
                self.warn(
                    base + (field,), "insecure plaintext HTTP proxy specified for HTTPS resources"
                )
        no_proxy = _list(proxy.get("noProxy"))
        self.duplicates(base, self.strings(base + ("noProxy",), no_proxy))

    def mode(self, path: KeyPath, mode: int | None) -> None:
        if mode is None:
            return
        if mode < 0 or mode > MODE_MAX:
            self.error(path, "illegal file mode")
        elif mode & SPECIAL_MODE_BITS and self.minor < 4:
            self.warn(
                path,
                "setuid/setgid/sticky bits are not supported in spec versions older than 3.4.0",
            )

    def owner(self, path: KeyPath, owner: Any) -> None:
        owner = _obj(owner)
        if owner.get("id") is not None and owner.get("name") is not None:
            self.error(path, "cannot set both id and name")

    def nodes(self, storage: dict[str, Any], systemd: dict[str, Any]) -> None:
        kinds = ("directories", "files", "links")
        every: list[tuple[KeyPath, Any]] = []
        for kind in kinds:
            for i, node in enumerate(_list(storage.get(kind))):
                node = _obj(node)
                path: KeyPath = ("storage", kind, i)
                self.abs_path(path + ("path",), node.get("path"))
                self.owner(path + ("user",), node.get("user"))
                self.owner(path + ("group",), node.get("group"))
                getattr(self, f"_{kind}")(path, node)
                every.append((path, node.get("path")))
        self.duplicates(("storage",), every)
        self.nodes_under_links(storage)

    def _directories(self, path: KeyPath, node: dict[str, Any]) -> None:
        self.mode(path + ("mode",), node.get("mode"))

    def _files(self, path: KeyPath, node: dict[str, Any]) -> None:
        self.mode(path + ("mode",), node.get("mode"))
        contents = node.get("contents")
        self.resource(path + ("contents",), contents, source_required=False)
        for i, res in enumerate(_list(node.get("append"))):
            self.resource(path + ("append", i), res, source_required=False)
        if node.get("overwrite") is True and _obj(contents).get("source") is None:
            self.error(path + ("overwrite",), "overwrite must be false if source is unspecified")

    def _links(self, path: KeyPath, node: dict[str, Any]) -> None:
        if self.minor >= 3 and not node.get("target"):
            self.error(path + ("target",), "link target is required")

    def nodes_under_links(self, storage: dict[str, Any]) -> None:
        """Ignition refuses to write through a link the same config creates."""
        links = {_obj(n).get("path") for n in _list(storage.get("links"))}
        words = {"files": "file", "directories": "directory", "links": "link"}
        for kind, word in words.items():
            for i, node in enumerate(_list(storage.get(kind))):
                target = _obj(node).get("path")
                if isinstance(target, str) and any(a in links for a in ancestors(target)):
                    self.error(("storage", kind, i), f"{word} path includes link in config")

    def disks(self, disks: list[Any]) -> None:
        for i, disk in enumerate(disks):
            disk = _obj(disk)
            path: KeyPath = ("storage", "disks", i)
            if not disk.get("device"):
                self.error(path + ("device",), "disk device is required")
            else:
                self.abs_path(path + ("device",), disk["device"])
            self.partitions(path + ("partitions",), _list(disk.get("partitions")))
        self.duplicates(("storage",), self.keyed(("storage", "disks"), disks, "device"))

    def partitions(self, base: KeyPath, parts: list[Any]) -> None:
        numbers: set[int] = set()
        keys: list[tuple[KeyPath, Any]] = []
        for i, part in enumerate(parts):
            part = _obj(part)
            path = base + (i,)
            number = part.get("number") or 0
            if not number and not part.get("label"):
                self.error(path, "a partition number >= 1 or a label must be specified")
            if number:
                if number in numbers:
                    self.error(path, "partition numbers collide")
                numbers.add(number)
                keys.append((path, ("number", number)))
            else:
                keys.append((path, ("label", part.get("label"))))
            label = part.get("label")
            if label is not None:
                if len(label) > 36:
                    self.error(path + ("label",), "partition labels may not exceed 36 characters")
                elif ":" in label:
                    self.error(
                        path + ("label",),
                        "partition label will be truncated to text before the colon",
                    )
            for field in ("typeGuid", "guid"):
                value = part.get(field)
                if value and not GUID.match(value):
                    self.error(
                        path + (field,),
                        'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"',
                    )
            if part.get("shouldExist") is False and any(
                part.get(f) not in (None, "", 0)
                for f in ("label", "sizeMiB", "startMiB", "typeGuid", "guid")
            ):
                self.error(path, "shouldExist specified false with other options also specified")
        self.duplicates(base, keys)

    def raids(self, raids: list[Any]) -> None:
        for i, raid in enumerate(raids):
            raid = _obj(raid)
            path: KeyPath = ("storage", "raid", i)
            level = raid.get("level")
            if not level:
                self.error(path + ("level",), "raid level is required")
            elif level not in RAID_LEVELS:
                self.error(path + ("level",), "unrecognized raid level")
            elif raid.get("spares") and level in ("linear", "raid0", "0", "stripe"):
                self.error(path + ("level",), "spares unsupported for linear and raid0 arrays")
            devices = _list(raid.get("devices"))
            if not devices:
                self.error(path + ("devices",), "raid devices required")
            for j, device in enumerate(devices):
                self.abs_path(path + ("devices", j), device)
            self.duplicates(path, self.strings(path + ("devices",), devices))
        self.duplicates(("storage",), self.keyed(("storage", "raid"), raids, "name"))

    def filesystems(self, filesystems: list[Any]) -> None:
        formats = FS_FORMATS | ({"none"} if self.minor >= 3 else set())
        for i, fs in enumerate(filesystems):
            fs = _obj(fs)
            path: KeyPath = ("storage", "filesystems", i)
            self.abs_path(path + ("device",), fs.get("device"))
            if fs.get("path"):
                self.abs_path(path + ("path",), fs["path"])
            fmt = fs.get("format")
            if not fmt:
                if (
                    fs.get("path")
                    or fs.get("label")
                    or fs.get("uuid")
                    or fs.get("wipeFilesystem")
                    or _list(fs.get("options"))
                    or _list(fs.get("mountOptions"))
                ):
                    self.error(
                        path + ("format",),
                        "format cannot be empty when path, label, "
                        "uuid, wipeFilesystem, options, or mountOptions is specified",
                    )
            elif fmt not in formats:
                self.error(path + ("format",), "invalid filesystem format")
            label = fs.get("label")
            limit = FS_LABEL_MAX.get(fmt or "")
            if label and limit and len(label) > limit:
                self.error(
                    path + ("label",),
                    f"filesystem labels cannot be longer than {limit} characters when using {fmt}",
                )
        self.duplicates(("storage",), self.keyed(("storage", "filesystems"), filesystems, "device"))

    def luks(self, volumes: list[Any]) -> None:
        for i, luks in enumerate(volumes):
            luks = _obj(luks)
            path: KeyPath = ("storage", "luks", i)
            if not luks.get("device"):
                self.error(path + ("device",), "disk device is required")
            else:
                self.abs_path(path + ("device",), luks["device"])
            if "/" in (luks.get("name") or ""):
                self.error(path + ("name",), "device names cannot contain slashes")
            self.resource(path + ("keyFile",), luks.get("keyFile"), source_required=False)
            self.clevis(path + ("clevis",), _obj(luks.get("clevis")))
        self.duplicates(
            ("storage",), self.keyed(("storage", "luks"), volumes, "name"), skip_empty=False
        )

    def clevis(self, path: KeyPath, clevis: dict[str, Any]) -> None:
        custom = clevis.get("custom")
        tang = _list(clevis.get("tang"))
        if custom is not None:
            if clevis.get("tpm2") or tang or clevis.get("threshold"):
                self.error(path, "cannot use custom clevis config with tpm2, tang, or threshold")
            pin = _obj(custom).get("pin")
            if pin and pin not in CLEVIS_PINS:
                self.error(path + ("custom", "pin"), "unsupported clevis pin")
        for i, server in enumerate(tang):
            server = _obj(server)
            url = server.get("url") or ""
            if parse_error(url) or url_scheme(url) not in ("http", "https"):
                self.error(path + ("tang", i, "url"), "invalid url scheme")
            if not server.get("thumbprint"):
                self.error(path + ("tang", i, "thumbprint"), "thumbprint is required")
        self.duplicates(path, self.keyed(path + ("tang",), tang, "url"))

    def units(self, units: list[Any]) -> None:
        for i, unit in enumerate(units):
            self.unit(("systemd", "units", i), _obj(unit))
        self.duplicates(("systemd",), self.keyed(("systemd", "units"), units, "name"))

    def unit(self, path: KeyPath, unit: dict[str, Any]) -> None:
        name = unit.get("name") or ""
        if not any(name.endswith(s) and len(name) > len(s) for s in UNIT_SUFFIXES):
            self.error(path + ("name",), "invalid systemd unit extension")
        contents = unit.get("contents")
        self.unit_contents(path + ("contents",), contents)
        enabled = unit.get("enabled") is True or unit.get("enable") is True
        if (
            enabled
            and contents
            and not unit_syntax_error(contents)
            and "Install" not in section_names(contents)
        ):
            self.warn(
                path + ("contents",),
                f'unit "{name}" is enabled, but has no install section so enable does nothing',
            )
        dropins = _list(unit.get("dropins"))
        for j, dropin in enumerate(dropins):
            dropin = _obj(dropin)
            if not (dropin.get("name") or "").endswith(".conf"):
                self.error(path + ("dropins", j, "name"), "invalid systemd drop-in extension")
            self.unit_contents(path + ("dropins", j, "contents"), dropin.get("contents"))
        self.duplicates(path, self.keyed(path + ("dropins",), dropins, "name"))

    def unit_contents(self, path: KeyPath, contents: str | None) -> None:
        if contents:
            problem = unit_syntax_error(contents)
            if problem:
                self.error(path, f"invalid unit content: {problem}")

    def passwd(self, passwd: dict[str, Any]) -> None:
        users = _list(passwd.get("users"))
        for i, user in enumerate(users):
            user = _obj(user)
            path: KeyPath = ("passwd", "users", i)
            for field in ("sshAuthorizedKeys", "groups"):
                values = _list(user.get(field))
                self.duplicates(path, self.strings(path + (field,), values))
        self.duplicates(("passwd",), self.keyed(("passwd", "users"), users, "name"))
        groups = _list(passwd.get("groups"))
        self.duplicates(("passwd",), self.keyed(("passwd", "groups"), groups, "name"))

    def kernel_arguments(self, kargs: dict[str, Any]) -> None:
        both: list[tuple[KeyPath, Any]] = []
        for field in ("shouldExist", "shouldNotExist"):
            both += self.strings(("kernelArguments", field), _list(kargs.get(field)))
        self.duplicates(("kernelArguments",), both)


Check = Callable[[dict[str, Any]], list[Problem]]


def check_spec3(config: dict[str, Any], version: str) -> list[Problem]:
    return Spec3Checker(version).check(config)
