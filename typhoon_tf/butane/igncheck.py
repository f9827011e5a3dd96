"""Ignition's validation of the generated config, reported against the user's YAML.

Butane validates its output with Ignition's rules (absolute paths, duplicates, unit
name suffixes, data URLs, hashes, ...) and maps each finding back to a YAML path.
This module implements those rules for spec 3.0–3.5; `Origins` supplies the mapping.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from typhoon_tf.butane.capabilities import Spec
from typhoon_tf.butane.igntypes import YAML_KEYS
from typhoon_tf.butane.report import Mark, Report, YPath
from typhoon_tf.butane.translate import Origins
from typhoon_tf.errors import UserError
from typhoon_tf.ignition.dataurl import decode_data_url

_UNIT_SUFFIXES = frozenset(
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
_FS_LABEL_MAX = {"ext4": 16, "btrfs": 256, "xfs": 12, "swap": 15, "vfat": 11}
_RAID_LEVELS = frozenset({"linear", "raid0", "raid1", "raid4", "raid5", "raid6", "raid10"})
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\Z")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HASH_SIZES = {"sha512": 128, "sha256": 64}


class IgnitionChecker:
    def __init__(self, spec: Spec, origins: Origins, report: Report) -> None:
        self.spec = spec
        self.version = tuple(int(p) for p in spec.ignition_version.split("."))
        self.origins = origins
        self.report = report

    # -- locating -------------------------------------------------------------------
    def where(self, out: dict[str, Any], jkey: str | None = None) -> tuple[YPath, Mark | None]:
        origin = self.origins.get(out)
        if origin is None:
            return (), None
        obj, itype = origin
        if jkey is None:
            return obj.path, obj.mark
        ykey = YAML_KEYS.get((itype, jkey), jkey)
        extra = {"source": ("inline", "local"), "contents": ("contents_local",)}.get(jkey, ())
        for candidate in (ykey, *extra):
            if obj.has(candidate):
                return obj.where(candidate)
        return obj.path, obj.mark

    def error(self, message: str, out: dict[str, Any], jkey: str | None = None) -> UserError:
        path, mark = self.where(out, jkey)
        return self.report.fail(message, path, mark)

    def warn(self, message: str, out: dict[str, Any], jkey: str | None = None) -> None:
        path, mark = self.where(out, jkey)
        self.report.warn(message, path, mark)

    # -- the rules ------------------------------------------------------------------
    def check(self, config: dict[str, Any]) -> None:
        ignition = config.get("ignition", {})
        self._check_ignition(ignition)
        storage = config.get("storage", {})
        self._check_nodes(storage)
        for disk in storage.get("disks", []):
            self._check_disk(disk)
        self._check_filesystems(storage.get("filesystems", []))
        for raid in storage.get("raid", []):
            self._check_raid(raid)
        for luks in storage.get("luks", []):
            self._check_luks(luks)
        self._check_units(config.get("systemd", {}).get("units", []))
        passwd = config.get("passwd", {})
        self._dups(passwd.get("users", []), "name")
        self._dups(passwd.get("groups", []), "name")
        for user in passwd.get("users", []):
            for key in ("sshAuthorizedKeys", "groups"):
                self._value_dups(user, key)
        for raid in storage.get("raid", []):
            self._value_dups(raid, "devices")
        self._value_dups(ignition.get("proxy", {}), "noProxy")
        kargs = config.get("kernelArguments", {})
        seen_kargs: set[str] = set()
        for key in ("shouldExist", "shouldNotExist"):
            for arg in kargs.get(key, []):
                if arg in seen_kargs:
                    raise self.error("duplicate entry defined", kargs, key)
                seen_kargs.add(arg)
        for key in ("disks", "filesystems", "raid", "luks"):
            self._dups(storage.get(key, []), "name" if key in ("raid", "luks") else "device")

    def _check_ignition(self, ignition: dict[str, Any]) -> None:
        config = ignition.get("config", {})
        cas = ignition.get("security", {}).get("tls", {}).get("certificateAuthorities", [])
        references = [*config.get("merge", []), *cas]
        if "replace" in config:
            references.append(config["replace"])
        for res in references:
            if "compression" in res and self.version < (3, 1):
                # 3.0 config/CA references have no compression field at all.
                self.warn("Unused key compression", res, "compression")
        for res in config.get("merge", []):
            self._check_resource(res, required=self.version >= (3, 1), reference=True)
        self._dups(config.get("merge", []), "source")
        if "replace" in config:
            self._check_resource(config["replace"], reference=True)
        for res in cas:
            if not res.get("source") and self.version < (3, 1):
                # 3.0's CA reference has a plain string source: unset means "" (no scheme).
                raise self.error("invalid url scheme", res, "source")
            self._check_resource(res, required=self.version >= (3, 1), reference=True)
        self._dups(cas, "source")
        proxy = ignition.get("proxy", {})
        for key in ("httpProxy", "httpsProxy"):
            if key in proxy and not _is_http_url(proxy[key]):
                raise self.error("invalid url", proxy, key)
        if proxy.get("httpsProxy", "").lower().startswith("http://"):
            self.warn(
                "insecure plaintext HTTP proxy specified for HTTPS resources", proxy, "httpsProxy"
            )

    def _check_resource(
        self, res: dict[str, Any], required: bool = False, reference: bool = False
    ) -> None:
        """`reference`: a config/CA reference, which has no compression field in 3.0."""
        source = res.get("source") or None  # Ignition treats "" as unset
        compression = res.get("compression")
        if reference and self.version < (3, 1):
            compression = None  # an unused key there, warned about above
        if source is None:
            if required:
                raise self.error("source is required", res)
            if res.get("httpHeaders"):
                raise self.error("cannot use http headers without a source", res, "httpHeaders")
        else:
            self._check_url(res, source, compression)
        if compression not in (None, "", "gzip"):
            raise self.error("invalid compression method", res, "compression")
        verification = res.get("verification", {})
        if "hash" in verification:
            # 3.0 config references (unlike file contents) do not check this.
            if source is None and (self.version >= (3, 1) or not reference):
                raise self.error(
                    "source must be specified if verification is specified", verification, "hash"
                )
            self._check_hash(verification)
        headers = res.get("httpHeaders", [])
        for header in headers:
            if not header.get("name"):
                raise self.error("header name is required", header, "name")
        self._dups(headers, "name")
        if headers and source is not None:
            scheme = _SCHEME.match(source)
            if scheme is None or scheme.group(1).lower() not in ("http", "https"):
                raise self.error("cannot use http headers with this source scheme", res, "source")

    def _check_url(self, res: dict[str, Any], url: str, compression: str | None) -> None:
        match = _SCHEME.match(url)
        if match is None or _CONTROL.search(url):
            raise self.error("invalid url", res, "source")
        scheme = match.group(1).lower()
        allowed = {"http", "https", "tftp", "s3", "data"}
        if self.spec.has("gs_urls"):
            allowed.add("gs")
        if self.spec.has("arn_urls"):
            allowed.add("arn")
        if scheme not in allowed:
            raise self.error("invalid url scheme", res, "source")
        if scheme == "data":
            if not self._user_given_source(res):
                return  # we encoded it ourselves from inline/local data
            try:
                decode_data_url(url, compression)
            except UserError as err:
                raise self.error(err.message, res, "source") from None
        elif _BAD_ESCAPE.search(url):
            raise self.error("invalid url: bad percent-escape", res, "source")

    def _user_given_source(self, res: dict[str, Any]) -> bool:
        origin = self.origins.get(res)
        return origin is None or origin[0].has("source")

    def _check_hash(self, verification: dict[str, Any]) -> None:
        value: str = verification["hash"]
        function, sep, digest = value.partition("-")
        if not sep:
            raise self.error("malformed hash specifier", verification, "hash")
        supported = ["sha512"] + (["sha256"] if self.spec.has("sha256") else [])
        if function not in supported:
            raise self.error("unrecognized hash function", verification, "hash")
        if len(digest) != _HASH_SIZES[function]:  # Ignition checks only the length
            raise self.error("incorrect size for hash sum", verification, "hash")

    def _check_nodes(self, storage: dict[str, Any]) -> None:
        self._check_paths_through_links(storage)
        seen: set[str] = set()
        for kind in ("files", "directories", "links"):
            for node in storage.get(kind, []):
                path = node.get("path", "")
                if path in seen:
                    raise self.error("duplicate entry defined", node)
                seen.add(path)
                self._check_device_path(node, "path")
                for owner in ("user", "group"):
                    if "id" in node.get(owner, {}) and node.get(owner, {}).get("name"):
                        raise self.error("cannot set both id and name", node[owner], "id")
                if "mode" in node and not 0 <= node["mode"] <= 0o7777:
                    raise self.error("illegal file mode", node, "mode")
                if node.get("mode", 0) & 0o7000 and self.version < (3, 4):
                    self.warn(
                        "setuid/setgid/sticky bits are not supported in spec versions older "
                        "than 3.4.0",
                        node,
                        "mode",
                    )
                if kind == "files":
                    self._check_file(node)
                elif kind == "links" and not node.get("target") and self.version >= (3, 3):
                    raise self.error("link target is required", node, "target")

    def _check_paths_through_links(self, storage: dict[str, Any]) -> None:
        """Ignition refuses nodes whose parent directories are links it also creates."""
        links = {link.get("path", "") for link in storage.get("links", [])}
        if not links:
            return
        for kind, noun in (("files", "file"), ("directories", "directory"), ("links", "link")):
            for node in storage.get(kind, []):
                parent = posixpath.dirname(node.get("path", ""))
                while parent not in ("/", ""):
                    if parent in links:
                        raise self.error(f"{noun} path includes link in config", node)
                    parent = posixpath.dirname(parent)

    def _check_file(self, file: dict[str, Any]) -> None:
        contents = file.get("contents")
        if contents is not None:
            self._check_resource(contents)
        for res in file.get("append", []):
            self._check_resource(res)
        if file.get("overwrite") and (contents is None or contents.get("source") is None):
            raise self.error("overwrite must be false if source is unspecified", file, "overwrite")

    def _check_disk(self, disk: dict[str, Any]) -> None:
        if not disk.get("device"):
            raise self.error("disk device is required", disk, "device")
        self._check_device_path(disk, "device")
        partitions = disk.get("partitions", [])
        keys: set[str] = set()
        labels: set[str] = set()
        unnumbered = any(not part.get("number") for part in partitions)
        if unnumbered and any(part.get("shouldExist") is False for part in partitions):
            raise self.error(
                "shouldExist is false for a partition and other partition(s) has start or size 0",
                disk,
                "partitions",
            )
        for part in partitions:
            if not part.get("number") and "label" not in part:
                raise self.error("a partition number >= 1 or a label must be specified", part)
            label = part.get("label")
            if label is not None:
                if len(label) > 36:
                    raise self.error("partition labels may not exceed 36 characters", part, "label")
                if ":" in label:
                    raise self.error("partition label cannot contain ':'", part, "label")
                if label in labels:
                    raise self.error("partition labels collide", part, "label")
                labels.add(label)
            # Ignition keys partitions by number, or by label when unnumbered.
            key = f"number:{part['number']}" if part.get("number") else f"label:{label}"
            if (part.get("number") or label is not None) and key in keys:
                raise self.error("duplicate entry defined", part)
            keys.add(key)
            for key in ("guid", "typeGuid"):
                if part.get(key) and not _GUID.match(part[key]):
                    raise self.error(
                        "doesn't match the form 01234567-89AB-CDEF-EDCB-A98765432101", part, key
                    )

    def _check_filesystems(self, filesystems: list[dict[str, Any]]) -> None:
        formats = {"ext4", "btrfs", "xfs", "swap", "vfat"}
        if self.spec.has("format_none"):
            formats.add("none")
        for fs in filesystems:
            if not fs.get("device"):
                raise self.error("device is required", fs, "device")
            self._check_device_path(fs, "device")
            fmt = fs.get("format")
            if fmt not in (None, "") and fmt not in formats:
                raise self.error("invalid filesystem format", fs, "format")
            if not fmt and any(
                fs.get(k)
                for k in ("path", "label", "uuid", "options", "mountOptions", "wipeFilesystem")
            ):
                raise self.error(
                    "format cannot be empty when path, etc., are specified", fs, "format"
                )
            if fs.get("path") is not None:
                self._check_device_path(fs, "path")
            label = fs.get("label")
            if label is not None and fmt in _FS_LABEL_MAX and len(label) > _FS_LABEL_MAX[fmt]:
                raise self.error(
                    f"filesystem labels cannot be longer than {_FS_LABEL_MAX[fmt]} characters",
                    fs,
                    "label",
                )

    def _check_raid(self, raid: dict[str, Any]) -> None:
        level = raid.get("level")
        if level is None or level not in _RAID_LEVELS:
            raise self.error("unrecognized raid level", raid, "level")
        if raid.get("spares") and level in ("linear", "raid0"):
            raise self.error("spares unsupported for linear and raid0 arrays", raid, "spares")
        if not raid.get("devices"):
            raise self.error("raid devices required", raid, "devices")
        for device in raid.get("devices", []):
            self._check_device_path({"devices": device}, "devices", blame=raid)

    def _check_luks(self, luks: dict[str, Any]) -> None:
        device = luks.get("device")
        if not device:
            raise self.error("device is required", luks, "device")
        self._check_device_path(luks, "device")
        if "keyFile" in luks:
            self._check_resource(luks["keyFile"])
        clevis = luks.get("clevis", {})
        for tang in clevis.get("tang", []):
            if not _is_http_url(tang.get("url", "")):
                raise self.error("invalid url", tang, "url")
            if not tang.get("thumbprint"):
                raise self.error("thumbprint is required", tang, "thumbprint")
            if tang.get("advertisement"):
                try:
                    json.loads(tang["advertisement"])
                except ValueError:
                    raise self.error(
                        "advertisement is not valid JSON", tang, "advertisement"
                    ) from None
        self._dups(clevis.get("tang", []), "url")
        custom = clevis.get("custom")
        if custom:
            if clevis.get("tang") or clevis.get("tpm2") or "threshold" in clevis:
                raise self.error(
                    "cannot use custom clevis config with tpm2, tang, or threshold", clevis
                )
            if not custom.get("pin"):
                raise self.error("missing required custom clevis pin", custom, "pin")
            if custom["pin"] not in ("tpm2", "tang", "sss"):
                raise self.error("unsupported clevis pin", custom, "pin")
            if not custom.get("config"):
                raise self.error("missing required custom clevis config", custom, "config")
        if luks.get("cex", {}).get("enabled"):
            if clevis:
                raise self.error("cannot use both cex and clevis", luks, "cex")
            if "keyFile" in luks:
                raise self.error("cannot use both cex and a key file", luks, "cex")

    def _check_device_path(
        self, owner: dict[str, Any], key: str, blame: dict[str, Any] | None = None
    ) -> None:
        """Ignition's validatePath: absolute and already clean (no //, /./, trailing /)."""
        path = owner.get(key, "")
        if not path.startswith("/"):
            raise self.error("path not absolute", blame or owner, key)
        if posixpath.normpath(path) != path or path.startswith("//"):
            raise self.error("path is not fully simplified", blame or owner, key)

    def _check_units(self, units: list[dict[str, Any]]) -> None:
        self._dups(units, "name")
        for unit in units:
            name = unit.get("name", "")
            if "." + name.rpartition(".")[2] not in _UNIT_SUFFIXES or "." not in name:
                raise self.error("invalid systemd unit extension", unit, "name")
            dropins = unit.get("dropins", [])
            self._dups(dropins, "name")
            for dropin in dropins:
                if not dropin.get("name", "").endswith(".conf"):
                    raise self.error("invalid systemd drop-in extension", dropin, "name")
                self._parse_unit(dropin)
            sections = self._parse_unit(unit)
            if unit.get("enabled") and unit.get("contents") and "Install" not in sections:
                self.warn(
                    f'unit "{name}" is enabled, but has no install section so enable does nothing',
                    unit,
                    "contents",
                )

    @staticmethod
    def _parse_unit(unit: dict[str, Any]) -> set[str]:
        """Sections that hold at least one option (what systemd's parser would see).

        Lenient on purpose: systemd itself only warns about malformed lines.
        """
        contents = unit.get("contents")
        if contents is None:
            return set()
        sections: set[str] = set()
        current: str | None = None
        continued = False
        for raw in contents.split("\n"):
            line = raw.strip()
            if continued:
                continued = line.endswith("\\")
                continue
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                current = line[1:-1]
                continue
            if current is not None and "=" in line:
                sections.add(current)
            continued = line.endswith("\\")
        return sections

    def _value_dups(self, owner: dict[str, Any], key: str) -> None:
        values = owner.get(key, [])
        if len(set(values)) != len(values):
            raise self.error("duplicate entry defined", owner, key)

    def _dups(self, entries: list[dict[str, Any]], key: str) -> None:
        seen: set[Any] = set()
        for entry in entries:
            value = entry.get(key) or ""  # Ignition keys unset fields as ""
            if value in seen:
                raise self.error("duplicate entry defined", entry)
            seen.add(value)


def _is_http_url(url: str) -> bool:
    match = _SCHEME.match(url)
    return match is not None and match.group(1).lower() in ("http", "https")


def check_ignition(config: dict[str, Any], spec: Spec, origins: Origins, report: Report) -> None:
    IgnitionChecker(spec, origins, report).check(config)
