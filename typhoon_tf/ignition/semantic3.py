"""The rule book: what Ignition (spec 3.x) enforces beyond the JSON structure.

One implementation for both `typhoon-tf ignition validate` and the Butane pipeline
(which maps each finding back to the user's YAML). Rules follow coreos/ignition's
`config/v3_N/types/*.go` `Validate` methods and `config/validate` (duplicate keys);
where versions or releases differ, `specrules` says which variant applies. Messages
are Ignition's own wording so users can search for them. Input has already passed the
version's JSON Schema (or comes from our translator), so types are right; values may
still be null.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from typhoon_tf.ignition import specrules as sr
from typhoon_tf.ignition.paths import ancestors, go_clean, go_ext, path_error
from typhoon_tf.ignition.problem import KeyPath, Problem
from typhoon_tf.ignition.unitfile import section_names, unit_syntax_error
from typhoon_tf.ignition.urls import parse_error, source_error, url_scheme

DUPLICATE = "duplicate entry defined"
GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
SYSTEMD_DIR = "/etc/systemd/system/"
_TEMPLATE_INSTANCE = re.compile(r"^(.+?)@(.+?)\.service$")
NODE_KINDS = ("directories", "files", "links")

# A predicate telling which resources the caller built itself (their data URLs are
# valid by construction, so the costly decode is skipped).
Trusted = Callable[[dict[str, Any]], bool]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _nbytes(text: str) -> int:
    """Go's len() of a string: its UTF-8 byte count."""
    return len(text.encode("utf-8", "surrogatepass"))


class Spec3Checker:
    """Collects the semantic problems of one spec-3 config."""

    def __init__(
        self,
        version: str,
        *,
        release: sr.Release = sr.DEFAULT_RELEASE,
        trusted: Trusted | None = None,
    ) -> None:
        self.version = version
        self.rules = sr.rules_for(version)
        self.release = release
        self.trusted = trusted
        self.problems: list[Problem] = []

    def error(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(path, message))

    def warn(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(path, message, "warning"))

    def enforces(self, rule: str) -> bool:
        return sr.enforces(self.release, rule)

    # --- generic helpers --------------------------------------------------------------

    def duplicates(self, items: Iterable[tuple[KeyPath, Any]]) -> None:
        """Report every entry whose key already appeared earlier in `items`."""
        seen: set[Any] = set()
        for path, key in items:
            if key in seen:
                self.error(path, DUPLICATE)
            seen.add(key)

    def keyed(self, base: KeyPath, entries: list[Any], field: str) -> list[tuple[KeyPath, Any]]:
        # Ignition keys an unset string field as "".
        return [(base + (i,), _obj(e).get(field) or "") for i, e in enumerate(entries)]

    def strings(self, base: KeyPath, values: list[Any]) -> list[tuple[KeyPath, Any]]:
        return [(base + (i,), v) for i, v in enumerate(values)]

    def string_dups(self, base: KeyPath, values: Any) -> None:
        self.duplicates(self.strings(base, _list(values)))

    def abs_path(self, path: KeyPath, value: str | None) -> None:
        problem = path_error(value)
        if problem:
            self.error(path, problem)

    # --- resources ----------------------------------------------------------------------

    def resource(
        self,
        path: KeyPath,
        res: Any,
        *,
        source_required: bool = False,
        verification_needs_source: bool = True,
    ) -> None:
        if res is None:
            return
        source = res.get("source")
        if source_required and not source:
            self.error(path, "source is required")
        if source and not (self.trusted is not None and self.trusted(res)):
            problem = source_error(source, self.rules.schemes)
            if problem:
                self.error(path + ("source",), problem)
        if res.get("compression") not in (None, "", "gzip"):
            self.error(path + ("compression",), "invalid compression method")
        self.http_headers(path + ("httpHeaders",), _list(res.get("httpHeaders")), source)
        hash_spec = _obj(res.get("verification")).get("hash")
        if hash_spec is not None:
            if source is None and verification_needs_source:
                self.error(
                    path + ("verification", "hash"),
                    "source must be specified if verification is specified",
                )
            problem = self.hash_error(hash_spec)
            if problem:
                self.error(path + ("verification", "hash"), problem)

    def http_headers(self, path: KeyPath, headers: list[Any], source: str | None) -> None:
        if not headers:
            return
        if not source or parse_error(source):
            self.error(path, "unable to parse url")
        elif url_scheme(source) not in ("http", "https"):
            self.error(path, "cannot use HTTP headers with this source scheme")
        for i, header in enumerate(headers):
            header = _obj(header)
            if not header.get("name"):
                self.error(path + (i, "name"), "HTTP header name can't be empty")
            if header.get("value") == "":
                self.error(path + (i, "value"), "unable to parse HTTP header")
        self.duplicates(self.keyed(path, headers, "name"))

    def hash_error(self, spec: str) -> str | None:
        function, dash, digest = spec.partition("-")
        if not dash:
            return "malformed hash specifier"
        if function not in self.rules.hash_functions:
            return "unrecognized hash function"
        if len(digest) != sr.HASH_HEX_LEN[function]:  # Ignition checks only the length
            return "incorrect size for hash sum"
        return None

    # --- sections -----------------------------------------------------------------------

    def check(self, config: dict[str, Any]) -> list[Problem]:
        self.ignition(_obj(config.get("ignition")))
        storage = _obj(config.get("storage"))
        systemd = _obj(config.get("systemd"))
        self.nodes(storage)
        if self.enforces("unit_path_conflict"):
            self.unit_path_conflicts(storage, _list(systemd.get("units")))
        self.disks(_list(storage.get("disks")))
        self.raids(_list(storage.get("raid")))
        self.filesystems(_list(storage.get("filesystems")))
        if self.enforces("filesystem_on_disk"):
            self.filesystems_on_disks(storage)
        self.luks(_list(storage.get("luks")))
        self.units(_list(systemd.get("units")))
        self.passwd(_obj(config.get("passwd")))
        self.kernel_arguments(_obj(config.get("kernelArguments")))
        return self.problems

    def ignition(self, ign: dict[str, Any]) -> None:
        base: KeyPath = ("ignition",)
        as_resource = self.rules.references_are_resources
        config = _obj(ign.get("config"))
        merges = _list(config.get("merge"))
        for i, res in enumerate(merges):
            self.resource(
                base + ("config", "merge", i),
                res,
                source_required=as_resource,
                verification_needs_source=as_resource,
            )
        self.duplicates(self.keyed(base + ("config", "merge"), merges, "source"))
        self.resource(
            base + ("config", "replace"),
            config.get("replace"),
            verification_needs_source=as_resource,
        )
        cas_path = base + ("security", "tls", "certificateAuthorities")
        cas = _list(_obj(_obj(ign.get("security")).get("tls")).get("certificateAuthorities"))
        for i, res in enumerate(cas):
            self.resource(
                cas_path + (i,),
                res,
                source_required=as_resource,
                verification_needs_source=as_resource,
            )
            if not as_resource and not _obj(res).get("source"):
                # 3.0's CA source is a plain string: unset is "", a URL without a scheme.
                self.error(cas_path + (i, "source"), "invalid url scheme")
        self.duplicates(self.keyed(cas_path, cas, "source"))
        self.proxy(base + ("proxy",), _obj(ign.get("proxy")))

    def proxy(self, base: KeyPath, proxy: dict[str, Any]) -> None:
        for field in ("httpProxy", "httpsProxy"):
            value = proxy.get(field)
            if value is None:
                continue
            if parse_error(value):
                self.error(base + (field,), "unable to parse url")
            elif url_scheme(value) not in ("http", "https"):
                self.error(base + (field,), "proxies must be http(s)")
            elif field == "httpsProxy" and url_scheme(value) == "http":
                self.warn(
                    base + (field,), "insecure plaintext HTTP proxy specified for HTTPS resources"
                )
        self.string_dups(base + ("noProxy",), proxy.get("noProxy"))

    # --- files, directories, links --------------------------------------------------------

    def mode(self, path: KeyPath, mode: int | None) -> None:
        if mode is None:
            return
        if mode < 0 or mode > sr.MODE_MAX:
            self.error(path, "illegal file mode")
        elif mode & sr.SPECIAL_MODE_BITS and (
            self.rules.special_bits_warn or self.enforces("special_bits_all_specs")
        ):
            self.warn(
                path,
                "setuid/setgid/sticky bits are not supported in spec versions older than 3.4.0",
            )

    def owner(self, path: KeyPath, owner: Any) -> None:
        owner = _obj(owner)
        if owner.get("id") is not None and owner.get("name"):
            self.error(path, "cannot set both id and name")

    def nodes(self, storage: dict[str, Any]) -> None:
        every: list[tuple[KeyPath, Any]] = []
        for kind in NODE_KINDS:
            for i, node in enumerate(_list(storage.get(kind))):
                node = _obj(node)
                path: KeyPath = ("storage", kind, i)
                self.abs_path(path + ("path",), node.get("path"))
                self.owner(path + ("user",), node.get("user"))
                self.owner(path + ("group",), node.get("group"))
                if kind == "files":
                    self.file(path, node)
                elif kind == "directories":
                    self.mode(path + ("mode",), node.get("mode"))
                every.append((path, node.get("path") or ""))
        # Files, directories and links share one key space: the path.
        self.duplicates(every)
        self.nodes_under_links(storage)
        self.links(storage)

    def file(self, path: KeyPath, node: dict[str, Any]) -> None:
        self.mode(path + ("mode",), node.get("mode"))
        contents = node.get("contents")
        self.resource(path + ("contents",), contents)
        for i, res in enumerate(_list(node.get("append"))):
            self.resource(path + ("append", i), res)
        if node.get("overwrite") is True and _obj(contents).get("source") is None:
            self.error(path + ("overwrite",), "overwrite must be false if source is unspecified")

    def nodes_under_links(self, storage: dict[str, Any]) -> None:
        """Ignition refuses to write through a link the same config creates."""
        links = {_obj(n).get("path") for n in _list(storage.get("links"))}
        if not links:
            return
        words = {"files": "file", "directories": "directory", "links": "link"}
        for kind, word in words.items():
            for i, node in enumerate(_list(storage.get(kind))):
                target = _obj(node).get("path")
                if isinstance(target, str) and any(a in links for a in ancestors(target)):
                    self.error(("storage", kind, i), f"{word} path includes link in config")

    def links(self, storage: dict[str, Any]) -> None:
        directories = {_obj(d).get("path") for d in _list(storage.get("directories"))}
        for i, link in enumerate(_list(storage.get("links"))):
            link = _obj(link)
            path: KeyPath = ("storage", "links", i)
            target = link.get("target")
            if not target:
                if self.rules.link_target_required:
                    self.error(path + ("target",), "link target is required")
                    continue
                target = ""
            if link.get("hard") is not True:
                continue
            resolved = go_clean(target)
            if not resolved.startswith("/"):
                # Ignition joins onto the link's own path (not its directory).
                resolved = go_clean(f"{link.get('path') or ''}/{target}")
            if resolved in directories:
                self.error(path, "hard link target is a directory")
            if self.enforces("hard_link_owner"):
                for owner in ("user", "group"):
                    for field in ("id", "name"):
                        if _obj(link.get(owner)).get(field) is not None:
                            self.warn(path + (owner, field), "user/group ignored for hard link")

    def unit_path_conflicts(self, storage: dict[str, Any], units: list[Any]) -> None:
        """A file, directory or link may not sit where a unit or drop-in is written."""
        unit_paths: set[str] = set()
        for unit in units:
            unit = _obj(unit)
            name = unit.get("name") or ""
            if unit.get("contents"):
                unit_paths.add(SYSTEMD_DIR + name)
            for dropin in _list(unit.get("dropins")):
                dropin = _obj(dropin)
                if dropin.get("contents"):
                    unit_paths.add(f"{SYSTEMD_DIR}{name}.d/{dropin.get('name') or ''}")
        if not unit_paths:
            return
        for kind in ("files", "directories", "links"):
            for i, node in enumerate(_list(storage.get(kind))):
                if _obj(node).get("path") in unit_paths:
                    self.error(
                        ("storage", kind, i, "path"), "path conflicts with systemd unit or dropin"
                    )

    # --- disks, RAID, filesystems, LUKS ---------------------------------------------------

    def disks(self, disks: list[Any]) -> None:
        for i, disk in enumerate(disks):
            disk = _obj(disk)
            path: KeyPath = ("storage", "disks", i)
            parts = _list(disk.get("partitions"))
            for j, part in enumerate(parts):
                self.partition(path + ("partitions", j), _obj(part))
            self.duplicates(self.partition_keys(path + ("partitions",), parts))
            if not disk.get("device"):
                self.error(path + ("device",), "disk device is required")
                continue  # Ignition skips the whole-disk checks then
            self.abs_path(path + ("device",), disk["device"])
            self.partition_layout(path + ("partitions",), [_obj(p) for p in parts])
        self.duplicates(self.keyed(("storage", "disks"), disks, "device"))

    @staticmethod
    def partition_keys(base: KeyPath, parts: list[Any]) -> list[tuple[KeyPath, Any]]:
        keys: list[tuple[KeyPath, Any]] = []
        for j, part in enumerate(parts):
            part = _obj(part)
            number, label = part.get("number") or 0, part.get("label")
            key = f"number:{number}" if number else (f"label:{label}" if label is not None else "")
            keys.append((base + (j,), key))
        return keys

    def partition(self, path: KeyPath, part: dict[str, Any]) -> None:
        label = part.get("label")
        if part.get("shouldExist") is False and (
            label is not None
            or part.get("typeGuid")
            or part.get("guid")
            or part.get("startMiB") is not None
            or part.get("sizeMiB") is not None
        ):
            self.error(path, "shouldExist specified false with other options also specified")
        if not part.get("number") and label is None:
            self.error(path, "a partition number >= 1 or a label must be specified")
        if label is not None:
            if _nbytes(label) > sr.PARTITION_LABEL_MAX:
                self.error(path + ("label",), "partition labels may not exceed 36 characters")
            elif ":" in label:
                self.error(
                    path + ("label",), "partition label will be truncated to text before the colon"
                )
        for field in ("guid", "typeGuid"):
            value = part.get(field)
            if value and not GUID.match(value):
                self.error(
                    path + (field,),
                    'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"',
                )

    def partition_layout(self, base: KeyPath, parts: list[dict[str, Any]]) -> None:
        """Whole-disk partition rules: numbers, labels, overlaps, deletions."""
        numbers: dict[int, int] = {}
        for j, part in enumerate(parts):
            number = part.get("number") or 0
            if number and number in numbers:
                self.error(base + (j,), "partition numbers collide")
            numbers.setdefault(number, j)
        overlap = _overlapping(parts)
        if overlap is not None:
            self.error(base + (overlap,), "partitions overlap")
        if any(part.get("shouldExist") is False for part in parts) and any(
            not part.get("number") for part in parts
        ):
            self.error(
                base,
                "shouldExist is false for a partition and other partition(s) has start or size 0",
            )
        labels: set[str] = set()
        for j, part in enumerate(parts):
            label = part.get("label")
            if label is None:
                continue
            if label in labels:
                self.error(base + (j,), "cannot use the same partition label twice")
                break
            labels.add(label)

    def raids(self, raids: list[Any]) -> None:
        for i, raid in enumerate(raids):
            raid = _obj(raid)
            path: KeyPath = ("storage", "raid", i)
            level = raid.get("level")
            if not level:
                self.error(path + ("level",), "raid level is required")
            elif level not in sr.RAID_LEVELS:
                self.error(path + ("level",), "unrecognized raid level")
            elif raid.get("spares") and level in sr.RAID_LEVELS_NO_SPARES:
                self.error(path + ("level",), "spares unsupported for linear and raid0 arrays")
            devices = _list(raid.get("devices"))
            if not devices:
                self.error(path + ("devices",), "raid devices required")
            for j, device in enumerate(devices):
                self.abs_path(path + ("devices", j), device)
            self.string_dups(path + ("devices",), devices)
        self.duplicates(self.keyed(("storage", "raid"), raids, "name"))

    def filesystems(self, filesystems: list[Any]) -> None:
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
                    or fs.get("wipeFilesystem") is True
                    or _list(fs.get("options"))
                    or _list(fs.get("mountOptions"))
                ):
                    self.error(
                        path + ("format",),
                        "format cannot be empty when path, label, "
                        "uuid, wipeFilesystem, options, or mountOptions is specified",
                    )
            elif fmt not in self.rules.fs_formats:
                self.error(path + ("format",), "invalid filesystem format")
            self.filesystem_label(path + ("label",), fmt, fs.get("label"))
        self.duplicates(self.keyed(("storage", "filesystems"), filesystems, "device"))

    def filesystem_label(self, path: KeyPath, fmt: str | None, label: str | None) -> None:
        if not label:
            return
        if not fmt:
            self.error(path, "filesystem must specify format if label is specified")
            return
        limit = sr.FS_LABEL_MAX.get(fmt)
        if limit is not None and _nbytes(label) > limit:
            self.error(
                path, f"filesystem labels cannot be longer than {limit} characters when using {fmt}"
            )

    def filesystems_on_disks(self, storage: dict[str, Any]) -> None:
        """Warn when a filesystem is made on a whole disk the config also partitions/wipes."""
        disks = {_obj(d).get("device"): _obj(d) for d in _list(storage.get("disks"))}
        for i, fs in enumerate(_list(storage.get("filesystems"))):
            fs = _obj(fs)
            disk = disks.get(fs.get("device"))
            if disk is None:
                continue
            path: KeyPath = ("storage", "filesystems", i, "device")
            if _list(disk.get("partitions")):
                self.warn(path, "filesystem overwrites partitioned device")
            elif fs.get("wipeFilesystem") is not True and disk.get("wipeTable") is True:
                self.warn(
                    path, "device matches disk with wipeTable enabled; filesystem will be wiped"
                )

    def luks(self, volumes: list[Any]) -> None:
        for i, luks in enumerate(volumes):
            luks = _obj(luks)
            path: KeyPath = ("storage", "luks", i)
            if "/" in (luks.get("name") or ""):
                self.error(path + ("name",), "device names cannot contain slashes")
            label = luks.get("label")
            if label and _nbytes(label) > sr.LUKS_LABEL_MAX:
                self.error(
                    path + ("label",), "luks device labels cannot be longer than 47 characters"
                )
            if not luks.get("device"):
                self.error(path + ("device",), "disk device is required")
            else:
                self.abs_path(path + ("device",), luks["device"])
            key_file = luks.get("keyFile")
            self.resource(path + ("keyFile",), key_file)
            key_source = _obj(key_file).get("source")
            if key_source and source_error(key_source, self.rules.schemes):
                self.error(path + ("keyFile",), "invalid key-file source")
            clevis = luks.get("clevis")
            self.clevis(path + ("clevis",), clevis)
            self.string_dups(path + ("openOptions",), luks.get("openOptions"))
            if self.rules.cex and _obj(luks.get("cex")).get("enabled") is True:
                if _clevis_present(_obj(clevis)):
                    self.error(path + ("cex",), "cannot use cex with clevis")
                if key_source:
                    self.error(path + ("cex",), "cannot use key file with cex")
        self.duplicates(self.keyed(("storage", "luks"), volumes, "name"))

    def clevis(self, path: KeyPath, clevis: Any) -> None:
        if clevis is None:
            return
        custom = clevis.get("custom")
        tang = _list(clevis.get("tang"))
        others = bool(tang) or clevis.get("tpm2") is True or bool(clevis.get("threshold"))
        custom_set = (
            bool(_obj(custom).get("pin")) if self.rules.custom_clevis_by_pin else custom is not None
        )
        if custom_set and others:
            self.error(path, "cannot use custom clevis config with tpm2, tang, or threshold")
        if custom is not None:
            self.clevis_custom(path + ("custom",), _obj(custom))
        for i, server in enumerate(tang):
            self.tang(path + ("tang", i), _obj(server))
        self.duplicates(self.keyed(path + ("tang",), tang, "url"))

    def clevis_custom(self, path: KeyPath, custom: dict[str, Any]) -> None:
        pin, config = custom.get("pin"), custom.get("config")
        # 3.2 looks at pin and config only; 3.3+ also at needsNetwork.
        network = self.rules.custom_clevis_by_pin and custom.get("needsNetwork") is True
        if not pin and not config and not network:
            return
        if pin or not self.rules.custom_clevis_by_pin:
            if pin not in sr.CLEVIS_PINS:
                self.error(path + ("pin",), "unsupported clevis pin")
        else:
            self.error(path + ("pin",), "missing required custom clevis pin")
        if not config:
            self.error(path + ("config",), "missing required custom clevis config")

    def tang(self, path: KeyPath, server: dict[str, Any]) -> None:
        url = server.get("url") or ""
        if parse_error(url):
            self.error(path + ("url",), "unable to parse url")
        elif url_scheme(url) not in ("http", "https"):
            self.error(path + ("url",), "invalid url scheme")
        if not server.get("thumbprint"):
            self.error(path + ("thumbprint",), "thumbprint is required")
        advertisement = server.get("advertisement")
        if self.rules.tang_advertisement and advertisement:
            try:
                json.loads(advertisement)
            except ValueError:
                self.error(path + ("advertisement",), "advertisement is not valid JSON")

    # --- systemd, passwd, kernel arguments ---------------------------------------------

    def units(self, units: list[Any]) -> None:
        for i, unit in enumerate(units):
            self.unit(("systemd", "units", i), _obj(unit))
        self.duplicates(self.keyed(("systemd", "units"), units, "name"))
        if self.enforces("template_unit_install"):
            self.template_units(units)

    def unit(self, path: KeyPath, unit: dict[str, Any]) -> None:
        name = unit.get("name") or ""
        if go_ext(name) not in sr.UNIT_EXTENSIONS:
            self.error(path + ("name",), "invalid systemd unit extension")
        contents = unit.get("contents")
        self.unit_contents(path + ("contents",), contents)
        enabled = unit.get("enabled") is True or unit.get("enable") is True
        if enabled and contents and not _has_install(contents):
            self.warn(
                path + ("contents",),
                f'unit "{name}" is enabled, but has no install section so enable does nothing',
            )
        dropins = _list(unit.get("dropins"))
        for j, dropin in enumerate(dropins):
            dropin = _obj(dropin)
            if go_ext(dropin.get("name") or "") != ".conf":
                self.error(path + ("dropins", j, "name"), "invalid systemd drop-in extension")
            self.unit_contents(path + ("dropins", j, "contents"), dropin.get("contents"))
        self.duplicates(self.keyed(path + ("dropins",), dropins, "name"))

    def unit_contents(self, path: KeyPath, contents: str | None) -> None:
        if contents:
            problem = unit_syntax_error(contents)
            if problem:
                self.error(path, f"invalid unit content: {problem}")

    def template_units(self, units: list[Any]) -> None:
        """An enabled `a@x.service` whose template `a@.service` has no [Install] section."""
        by_name = {_obj(u).get("name"): _obj(u) for u in units}
        for i, unit in enumerate(units):
            unit = _obj(unit)
            match = _TEMPLATE_INSTANCE.match(unit.get("name") or "")
            if match is None or unit.get("enabled") is not True:
                continue
            template_name = match.group(1) + "@.service"
            contents = by_name.get(template_name, {}).get("contents")
            if contents and not _has_install(contents):
                self.warn(
                    ("systemd", "units", i, "contents"),
                    f'template unit "{template_name}" for "{unit.get("name")}" '
                    "doesn't have Install section",
                )

    def passwd(self, passwd: dict[str, Any]) -> None:
        users = _list(passwd.get("users"))
        for i, user in enumerate(users):
            path: KeyPath = ("passwd", "users", i)
            for field in ("sshAuthorizedKeys", "groups"):
                self.string_dups(path + (field,), _obj(user).get(field))
        self.duplicates(self.keyed(("passwd", "users"), users, "name"))
        groups = _list(passwd.get("groups"))
        self.duplicates(self.keyed(("passwd", "groups"), groups, "name"))

    def kernel_arguments(self, kargs: dict[str, Any]) -> None:
        # shouldExist and shouldNotExist share one key space.
        both: list[tuple[KeyPath, Any]] = []
        for field in ("shouldExist", "shouldNotExist"):
            both += self.strings(("kernelArguments", field), _list(kargs.get(field)))
        self.duplicates(both)


def _has_install(contents: str) -> bool:
    """True when the unit has an [Install] section, or does not parse (then the syntax
    error is reported and Ignition adds no warning on top)."""
    return unit_syntax_error(contents) is not None or "Install" in section_names(contents)


def _clevis_present(clevis: dict[str, Any]) -> bool:
    return bool(
        _obj(clevis.get("custom")).get("pin")
        or _list(clevis.get("tang"))
        or clevis.get("tpm2") is True
        or clevis.get("threshold")
    )


def _overlapping(parts: list[dict[str, Any]]) -> int | None:
    """Index of a partition that overlaps another (Ignition's check, placed ones only)."""

    def placed(part: dict[str, Any]) -> tuple[int, int] | None:
        start, size = part.get("startMiB"), part.get("sizeMiB")
        if start is None or size is None or start == 0:
            return None  # start 0 means "let sgdisk choose": no geometry to compare
        return start, (start if size == 0 else start + size - 1)

    spans = [placed(part) for part in parts]
    for i, span in enumerate(spans):
        if span is None:
            continue
        for j, other in enumerate(spans):
            if other is None or i == j:
                continue
            (start, end), (o_start, o_end) = span, other
            if o_start <= start <= o_end or o_start <= end <= o_end:
                return j
            if start < o_start and end > o_end:
                return j
    return None


def check_spec3(
    config: dict[str, Any],
    version: str,
    *,
    release: sr.Release = sr.DEFAULT_RELEASE,
    trusted: Trusted | None = None,
) -> list[Problem]:
    return Spec3Checker(version, release=release, trusted=trusted).check(config)
