"""`storage.trees`: every regular file and symlink under a local directory becomes a
file (mode 0755 if any exec bit is set, else 0644, unless the config set one) or a link.

Walk order is lexical like Go's filepath.Walk; directories are not emitted (Ignition
creates parents). A path the config already gave contents/a target is an error.
"""

from __future__ import annotations

import os
import posixpath
import stat
from typing import Any

from typhoon_tf.butane.decode import Obj
from typhoon_tf.butane.igntypes import ORDER
from typhoon_tf.butane.localfiles import LocalFileError, resolve_local
from typhoon_tf.butane.translate import Translator, encode_contents
from typhoon_tf.inputs import LOCAL_FILE_LIMIT, InputError, read_bytes

NODE_EXISTS = "config already contains a file, directory, or link at this path"


def expand_trees(trees: list[Obj], config: dict[str, Any], translator: Translator) -> None:
    storage = config.setdefault("storage", {})
    for tree in trees:
        try:
            base = resolve_local(translator.files_dir, tree.get("local", ""))
        except LocalFileError as err:
            raise translator.report.fail(str(err), tree.path, tree.mark) from None
        if not os.path.isdir(base):
            reason = "is not a directory" if os.path.exists(base) else "no such file or directory"
            raise translator.report.fail(f"stat {base}: {reason}", tree.path, tree.mark)
        dest_base = tree.get("path") or "/"
        for rel in _walk(base):
            src = os.path.join(base, rel)
            dest = posixpath.join(dest_base, rel.replace(os.sep, "/"))
            info = os.lstat(src)
            if stat.S_ISLNK(info.st_mode):
                _add_link(storage, dest, os.readlink(src), tree, translator)
            elif stat.S_ISREG(info.st_mode):
                _add_file(storage, dest, src, info.st_mode, tree, translator)
            else:
                raise translator.report.fail(f"{src}: unsupported file type", tree.path, tree.mark)
    if not storage:
        del config["storage"]
    else:
        _reorder_storage(config)


def _walk(base: str) -> list[str]:
    """Relative paths of non-directories under `base`, in filepath.Walk's lexical order."""
    out: list[str] = []

    def visit(rel: str) -> None:
        full = os.path.join(base, rel) if rel else base
        for name in sorted(os.listdir(full)):
            child = os.path.join(rel, name) if rel else name
            if os.path.isdir(os.path.join(base, child)) and not os.path.islink(
                os.path.join(base, child)
            ):
                visit(child)
            else:
                out.append(child)

    visit("")
    return out


def _exists_elsewhere(storage: dict[str, Any], path: str, own: str) -> bool:
    return any(
        e.get("path") == path
        for key in ("files", "directories", "links")
        if key != own
        for e in storage.get(key, [])
    )


def _add_file(
    storage: dict[str, Any], dest: str, src: str, mode: int, tree: Obj, translator: Translator
) -> None:
    files: list[dict[str, Any]] = storage.setdefault("files", [])
    entry = next((f for f in files if f.get("path") == dest), None)
    if entry is not None and entry.get("contents", {}).get("source"):
        raise translator.report.fail(NODE_EXISTS, tree.path, tree.mark)
    if entry is None:
        if _exists_elsewhere(storage, dest, "files"):
            raise translator.report.fail(NODE_EXISTS, tree.path, tree.mark)
        entry = {"path": dest}
        files.append(entry)
        translator.origins.add(entry, tree, "File")
    try:  # the shared safe reader: the file may have changed since the walk; size-capped
        data = read_bytes(src, limit=LOCAL_FILE_LIMIT, what="tree file")
    except InputError as err:
        raise translator.report.fail(f"{src}: {err.reason}", tree.path, tree.mark) from None
    contents = entry.get("contents", {})
    source, compression = encode_contents(data, contents.get("compression"), translator.spec)
    new_contents: dict[str, Any] = {}
    if compression is not None:
        new_contents["compression"] = compression
    for key in ("httpHeaders",):
        if key in contents:
            new_contents[key] = contents[key]
    new_contents["source"] = source
    if "verification" in contents:
        new_contents["verification"] = contents["verification"]
    translator.origins.add(new_contents, tree, "Resource")
    mode_value = entry.get("mode")
    rebuilt = {k: v for k, v in entry.items() if k not in ("contents", "mode")}
    entry.clear()
    for key in ("group", "overwrite", "path", "user", "append"):
        if key in rebuilt:
            entry[key] = rebuilt[key]
    entry["contents"] = new_contents
    entry["mode"] = mode_value if mode_value is not None else (0o755 if mode & 0o111 else 0o644)


def _add_link(
    storage: dict[str, Any], dest: str, target: str, tree: Obj, translator: Translator
) -> None:
    links: list[dict[str, Any]] = storage.setdefault("links", [])
    entry = next((link for link in links if link.get("path") == dest), None)
    if entry is not None and entry.get("target"):
        raise translator.report.fail(NODE_EXISTS, tree.path, tree.mark)
    if entry is None:
        if _exists_elsewhere(storage, dest, "links"):
            raise translator.report.fail(NODE_EXISTS, tree.path, tree.mark)
        entry = {"path": dest}
        links.append(entry)
        translator.origins.add(entry, tree, "Link")
    entry.pop("target", None)
    entry["target"] = target.replace(os.sep, "/")


def _reorder_storage(config: dict[str, Any]) -> None:
    """New lists were appended at the end; restore Go struct order."""
    storage = config["storage"]
    config["storage"] = {k: storage[k] for k in ORDER["Storage"] if k in storage}
    ordered = {k: config[k] for k in ORDER["Config"] if k in config}
    config.clear()
    config.update(ordered)
