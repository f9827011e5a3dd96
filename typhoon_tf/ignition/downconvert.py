"""Down-convert a spec-3 Ignition config to spec 2.3.0 for Flatcar images older than 3185.

Spec 2 is not spec 3 with other key names; its defaults differ, so a literal copy would
change what lands on disk. The conversion therefore makes every default explicit:

* files get `mode` 0644 and directories 0755 when unset (spec 2 writes a mode-less
  file as 0000), and every file, directory and link gets an explicit `overwrite`
  (spec 2 defaults files to overwrite=true, spec 3 to false);
* files, directories and links name their filesystem: `"root"`, or the named
  filesystem whose spec-3 mount `path` contains them (their path made relative to it);
* a spec-3 `append` list becomes one extra spec-2 entry per fragment with
  `append: true`, after the entry that writes the base contents (if any);
* spec-3 filesystems become named spec-2 filesystems with a `mount` object;
* `ignition.config.merge` becomes `ignition.config.append`.

What spec 2.3 cannot say is refused with a `UserError` naming the key path: LUKS,
kernel arguments, proxies, partition resize, `shouldExist: false` users/groups, HTTP
headers, sha256 hashes, compressed configs/CAs, `gs://`/`arn:` sources, filesystem
format `none` or `mountOptions`, a filesystem without a format, and setuid/setgid/sticky
mode bits from a 3.4+ config (older configs have them stripped, as Ignition does).

Known, documented differences that remain: spec 2 creates missing parent directories
of a directory entry with that entry's mode (spec 3 uses 0755), and spec 2 writes SSH
keys to `authorized_keys.d/coreos-ignition` instead of `.../ignition`.
"""

from __future__ import annotations

import posixpath
from typing import Any

from typhoon_tf.errors import UserError
from typhoon_tf.ignition.problem import KeyPath, format_path
from typhoon_tf.ignition.urls import url_scheme
from typhoon_tf.ignition.validate import SPEC3_VERSIONS, check, known_keys_only, load_schema

TARGET_VERSION = "2.3.0"
SUPPORTED_TARGETS = (TARGET_VERSION,)
DEFAULT_FILE_MODE = 0o644
DEFAULT_DIRECTORY_MODE = 0o755
SPECIAL_MODE_BITS = 0o7000
ROOT_FILESYSTEM = "root"
SPEC2_SCHEMES = frozenset({"http", "https", "tftp", "s3", "data", ""})


def downconvert(
    config: dict[str, Any], to: str = TARGET_VERSION, *, source: str = "<config>"
) -> dict[str, Any]:
    """Return the spec-2.3.0 equivalent of a valid spec-3 `config`."""
    if to not in SUPPORTED_TARGETS:
        raise UserError(
            f"cannot down-convert to spec {to}; supported: {', '.join(SUPPORTED_TARGETS)}",
            file=source,
        )
    check(config, source=source)
    version = config["ignition"]["version"]
    if version not in SPEC3_VERSIONS:
        raise UserError(
            f"only spec 3.x configs can be down-converted (got {version})",
            file=source,
            path="ignition.version",
        )
    # Ignition ignores keys its spec version does not define; so does the conversion.
    known = known_keys_only(config, load_schema(version))
    try:
        return _Converter(known).convert()
    except UserError as err:
        raise err.with_file(source) from None


def _refuse(path: KeyPath, what: str) -> UserError:
    return UserError(
        f"{what} cannot be expressed in Ignition spec {TARGET_VERSION}", path=format_path(path)
    )


def _present(value: Any) -> bool:
    return value not in (None, [], {}, "")


class _Converter:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        minor = int(config["ignition"]["version"].split(".")[1])
        self.honours_special_bits = minor >= 4
        storage = config.get("storage") or {}
        self.mounts = self._filesystem_names(storage.get("filesystems") or [])

    def convert(self) -> dict[str, Any]:
        cfg = self.config
        self._refuse_unsupported_sections(cfg)
        out: dict[str, Any] = {"ignition": self._ignition(cfg.get("ignition") or {})}
        storage = self._storage(cfg.get("storage") or {})
        if storage:
            out["storage"] = storage
        systemd = self._systemd(cfg.get("systemd") or {})
        if systemd:
            out["systemd"] = systemd
        passwd = self._passwd(cfg.get("passwd") or {})
        if passwd:
            out["passwd"] = passwd
        return out

    def _refuse_unsupported_sections(self, cfg: dict[str, Any]) -> None:
        kargs = cfg.get("kernelArguments") or {}
        for field in ("shouldExist", "shouldNotExist"):
            if _present(kargs.get(field)):
                raise _refuse(("kernelArguments", field), "kernel arguments")
        proxy = (cfg.get("ignition") or {}).get("proxy") or {}
        for field in ("httpProxy", "httpsProxy", "noProxy"):
            if _present(proxy.get(field)):
                raise _refuse(("ignition", "proxy", field), "an HTTP proxy")
        luks = (cfg.get("storage") or {}).get("luks")
        if _present(luks):
            raise _refuse(("storage", "luks"), "LUKS volumes")

    # --- ignition -------------------------------------------------------------------

    def _ignition(self, ign: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"version": TARGET_VERSION}
        config = ign.get("config") or {}
        section: dict[str, Any] = {}
        merges = config.get("merge") or []
        for i, res in enumerate(merges):
            if not (res or {}).get("source"):
                raise _refuse(("ignition", "config", "merge", i), "a config merge without a source")
        if merges:
            section["append"] = [
                self._resource(("ignition", "config", "merge", i), r, compression=False)
                for i, r in enumerate(merges)
            ]
        replace = config.get("replace") or {}
        if replace.get("source") is not None:
            section["replace"] = self._resource(
                ("ignition", "config", "replace"), replace, compression=False
            )
        if section:
            out["config"] = section
        timeouts = {k: v for k, v in (ign.get("timeouts") or {}).items() if v is not None}
        if timeouts:
            out["timeouts"] = timeouts
        cas = ((ign.get("security") or {}).get("tls") or {}).get("certificateAuthorities") or []
        if cas:
            base: KeyPath = ("ignition", "security", "tls", "certificateAuthorities")
            out["security"] = {
                "tls": {
                    "certificateAuthorities": [
                        self._resource(base + (i,), r, compression=False) for i, r in enumerate(cas)
                    ]
                }
            }
        return out

    def _resource(self, path: KeyPath, res: dict[str, Any], *, compression: bool) -> dict[str, Any]:
        res = res or {}
        if _present(res.get("httpHeaders")):
            raise _refuse(path + ("httpHeaders",), "HTTP headers")
        out: dict[str, Any] = {}
        src = res.get("source")
        if src is not None:
            if url_scheme(src) not in SPEC2_SCHEMES:
                raise _refuse(path + ("source",), f"a {url_scheme(src)}: source")
            out["source"] = src
        if res.get("compression"):
            if not compression:
                raise _refuse(path + ("compression",), "a compressed config or CA bundle")
            out["compression"] = res["compression"]
        hash_spec = (res.get("verification") or {}).get("hash")
        if hash_spec is not None:
            if not hash_spec.startswith("sha512-"):
                raise _refuse(path + ("verification", "hash"), "a non-sha512 hash")
            out["verification"] = {"hash": hash_spec}
        return out

    # --- storage --------------------------------------------------------------------

    def _filesystem_names(self, filesystems: list[Any]) -> list[tuple[str, str]]:
        """(mount path, spec-2 name) for every spec-3 filesystem with a `path`."""
        mounts = []
        for i, fs in enumerate(filesystems):
            fs = fs or {}
            if fs.get("path"):
                mounts.append((fs["path"], self._fs_name(i, fs)))
        return mounts

    @staticmethod
    def _fs_name(index: int, fs: dict[str, Any]) -> str:
        return f"fs{index}"

    def _locate(self, path: str) -> tuple[str, str]:
        """Which spec-2 filesystem holds `path`, and the path inside it."""
        best: tuple[str, str] | None = None
        for mount, name in self.mounts:
            if mount == "/":
                continue
            if (path == mount or path.startswith(mount.rstrip("/") + "/")) and (
                best is None or len(mount) > len(best[0])
            ):
                best = (mount, name)
        if best is None:
            return ROOT_FILESYSTEM, path
        inner = "/" + posixpath.relpath(path, best[0]) if path != best[0] else "/"
        return best[1], inner

    def _storage(self, storage: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        disks = [self._disk(i, d or {}) for i, d in enumerate(storage.get("disks") or [])]
        if disks:
            out["disks"] = disks
        raid = [self._raid(r or {}) for r in storage.get("raid") or []]
        if raid:
            out["raid"] = raid
        filesystems = [
            self._filesystem(i, f or {}) for i, f in enumerate(storage.get("filesystems") or [])
        ]
        if filesystems:
            out["filesystems"] = filesystems
        files: list[dict[str, Any]] = []
        for i, f in enumerate(storage.get("files") or []):
            files += self._file(i, f or {})
        if files:
            out["files"] = files
        dirs = [self._directory(i, d or {}) for i, d in enumerate(storage.get("directories") or [])]
        if dirs:
            out["directories"] = dirs
        links = [self._link(i, link or {}) for i, link in enumerate(storage.get("links") or [])]
        if links:
            out["links"] = links
        return out

    def _disk(self, index: int, disk: dict[str, Any]) -> dict[str, Any]:
        out = {k: disk[k] for k in ("device", "wipeTable") if disk.get(k) is not None}
        parts = []
        for j, part in enumerate(disk.get("partitions") or []):
            part = part or {}
            if part.get("resize"):
                raise _refuse(
                    ("storage", "disks", index, "partitions", j, "resize"), "partition resizing"
                )
            parts.append({k: v for k, v in part.items() if k != "resize" and v is not None})
        if parts:
            out["partitions"] = parts
        return out

    @staticmethod
    def _raid(raid: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in raid.items() if v is not None}

    def _filesystem(self, index: int, fs: dict[str, Any]) -> dict[str, Any]:
        path: KeyPath = ("storage", "filesystems", index)
        fmt = fs.get("format")
        if not fmt:
            raise _refuse(path + ("format",), "a filesystem without a format")
        if fmt == "none":
            raise _refuse(path + ("format",), 'filesystem format "none"')
        if _present(fs.get("mountOptions")):
            raise _refuse(path + ("mountOptions",), "filesystem mount options")
        mount: dict[str, Any] = {"device": fs["device"], "format": fmt}
        for key in ("wipeFilesystem", "label", "uuid", "options"):
            if fs.get(key) is not None:
                mount[key] = fs[key]
        return {"name": self._fs_name(index, fs), "mount": mount}

    def _mode(self, path: KeyPath, mode: int | None, default: int) -> int:
        """An explicit mode. Setuid/setgid/sticky bits are dropped by Ignition before
        spec 3.4 and by every spec-2 Ignition (Go's os.FileMode keeps them elsewhere),
        so they are stripped from older configs and refused from 3.4+ ones."""
        if mode is None:
            return default
        if mode & SPECIAL_MODE_BITS:
            if self.honours_special_bits:
                raise _refuse(path + ("mode",), "setuid/setgid/sticky mode bits")
            return mode & ~SPECIAL_MODE_BITS
        return mode

    def _node(self, node: dict[str, Any]) -> dict[str, Any]:
        filesystem, path = self._locate(node["path"])
        out: dict[str, Any] = {"filesystem": filesystem, "path": path}
        for key in ("user", "group"):
            owner = {k: v for k, v in (node.get(key) or {}).items() if v is not None}
            if owner:
                out[key] = owner
        return out

    def _file(self, index: int, node: dict[str, Any]) -> list[dict[str, Any]]:
        path: KeyPath = ("storage", "files", index)
        base = self._node(node)
        base["mode"] = self._mode(path, node.get("mode"), DEFAULT_FILE_MODE)
        contents = node.get("contents")
        appends = node.get("append") or []
        entries = []
        has_source = contents is not None and contents.get("source") is not None
        if has_source or not appends:
            # The base entry: write contents (or ensure the file exists, when there is
            # nothing to append that would create it).
            entry = dict(base, overwrite=node.get("overwrite") is True)
            if contents is not None:
                converted = self._resource(path + ("contents",), contents, compression=True)
                if converted:
                    entry["contents"] = converted
            entries.append(entry)
        for j, fragment in enumerate(appends):
            converted = self._resource(path + ("append", j), fragment or {}, compression=True)
            entries.append(dict(base, append=True, contents=converted))
        return entries

    def _directory(self, index: int, node: dict[str, Any]) -> dict[str, Any]:
        path: KeyPath = ("storage", "directories", index)
        out = self._node(node)
        out["mode"] = self._mode(path, node.get("mode"), DEFAULT_DIRECTORY_MODE)
        out["overwrite"] = node.get("overwrite") is True
        return out

    def _link(self, index: int, node: dict[str, Any]) -> dict[str, Any]:
        if not node.get("target"):
            raise _refuse(("storage", "links", index, "target"), "a link without a target")
        out = self._node(node)
        out["target"] = node["target"]
        if node.get("hard") is not None:
            out["hard"] = node["hard"]
        out["overwrite"] = node.get("overwrite") is True
        return out

    # --- systemd and passwd ---------------------------------------------------------

    @staticmethod
    def _systemd(systemd: dict[str, Any]) -> dict[str, Any]:
        units = []
        for unit in systemd.get("units") or []:
            unit = unit or {}
            out = {
                k: unit[k]
                for k in ("name", "enabled", "mask", "contents")
                if unit.get(k) is not None
            }
            dropins = [
                {k: v for k, v in (d or {}).items() if v is not None}
                for d in unit.get("dropins") or []
            ]
            if dropins:
                out["dropins"] = dropins
            units.append(out)
        return {"units": units} if units else {}

    def _passwd(self, passwd: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for kind in ("users", "groups"):
            entries = []
            for i, entry in enumerate(passwd.get(kind) or []):
                entry = entry or {}
                if not entry.get("name"):
                    raise _refuse(("passwd", kind, i, "name"), "an entry without a name")
                if entry.get("shouldExist") is False:
                    raise _refuse(
                        ("passwd", kind, i, "shouldExist"),
                        "deleting a user or group (shouldExist: false)",
                    )
                entries.append(
                    {k: v for k, v in entry.items() if k != "shouldExist" and v is not None}
                )
            if entries:
                out[kind] = entries
        return out
