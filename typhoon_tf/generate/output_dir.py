"""Writing a generated directory safely (see docs/safety.md).

Ownership. A directory is typhoon-tf's when it holds `MARKER`, a small JSON file naming
what wrote it (`kind`), the platform and OS, and the files it wrote. The marker is
untrusted input (it arrives with a cloned repo): every listed path must be one typhoon-tf
itself writes (`owned_path_problem`), else the run stops before touching anything. A
non-empty directory without a marker is refused unless `force`; then every file of the
user's that is in the way is kept under a backup name, never lost.

Atomic switch. A new directory is built beside its final name and renamed into place. An
existing one gets a staging directory inside it (`.typhoon-tf.staging.*`) holding the
complete new generated tree; once that is written, a journal is written, and the switch
is a short run of renames: each owned directory (`modules/`, `addons/`) swapped in one
step (renameat2 RENAME_EXCHANGE), then each top-level file with os.replace, the marker
last. Everything else (state, `.terraform/`, the lock file, `*.tfvars`, the user's own
files, also inside `modules/`) stays where it is. A crash before the journal leaves the
old tree and a staging directory the next run deletes; a crash inside the switch leaves
the journal and the next run finishes the switch.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from typhoon_tf import __version__
from typhoon_tf.errors import UserError
from typhoon_tf.fsutil import (
    build_beside,
    make_parents,
    make_temp_dir,
    output_errors,
    remove_created,
    replace_dir,
    write_files,
)

MARKER = ".typhoon-tf.json"
KIND_ROOT = "root-module"
KIND_MODULES = "modules"
# What `generate` writes (typhoon_tf.generate.root_module + backend): these top-level files
# and, below these directories, files with these suffixes. Nothing else may be removed.
ROOT_FILES = ("README.md", "backend.tf", "main.tf", "outputs.tf", "versions.tf")
ROOT_DIRS = ("addons", "modules")
TREE_SUFFIXES = (".md", ".tf", ".tftpl", ".yaml")
# Written on request but never removed by a later run without the request: dropping the
# backend would silently move state back to the local disk.
KEPT_WHEN_STALE = ("backend.tf",)
# A marker is a few KiB; these bound what a crafted one can make us read.
MAX_MARKER_BYTES = 1 << 20
MAX_MARKER_FILES = 10_000
MAX_PATH_CHARS = 1024
STAGING_PREFIX = ".typhoon-tf.staging."
BACKUP_INFIX = ".typhoon-tf-backup-"
JOURNAL = "journal.json"
# Names tempfile.mkdtemp/mkstemp give our staging directories and temp files.
_STAGING_RE = re.compile(re.escape(STAGING_PREFIX) + r"[a-z0-9_]{8}")
_TMP_RE = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
_MODULE_KEY_RE = re.compile(r"modules/(?P<platform>[a-z-]+)/(?P<os>[a-z-]+)/kubernetes/")


@dataclass(frozen=True)
class Marker:
    kind: str
    files: frozenset[str] = frozenset()
    platform: str | None = None
    os: str | None = None


@dataclass
class Plan:
    """The renames of one switch, as recorded in the journal."""

    dirs: dict[str, int] = field(default_factory=dict)  # name -> inode of the staged dir
    remove: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the marker last

    def empty(self) -> bool:
        return not (self.dirs or self.remove or self.files)


# ---------------------------------------------------------------------------- entry points


def write_generated_dir(root: Path, files: Mapping[str, str], *, force: bool = False) -> None:
    """Write the root module `files` to `root` (see the module docstring)."""
    for rel in files:
        problem = owned_path_problem(rel)
        if problem:
            raise AssertionError(f"generator wrote {rel!r}, which {problem}")
    target = Path(os.path.realpath(root))
    with output_errors(target), _locked_parent(target):
        _clean_beside(target)
        if _absent_or_empty(target):
            _create(target, {**files, MARKER: _root_marker(files, frozenset())})
        else:
            _update(target, dict(files), force)


def write_modules_dir(root: Path, files: Mapping[str, str], *, force: bool = False) -> None:
    """Replace `root` with the committed-modules tree `files` (which includes its marker).

    The whole directory is typhoon-tf's once it holds a modules marker; anything else
    non-empty is refused, or with `force` kept whole as `<root>.typhoon-tf-backup-<n>`.
    """
    target = Path(os.path.realpath(root))
    with output_errors(target), _locked_parent(target):
        _clean_beside(target)
        if _absent_or_empty(target):
            _create(target, files)
            return
        _require_dir(target)
        marker = _read_marker_or_none(target, force)
        _check_owner(target, marker, force, KIND_MODULES)
        if marker is None or marker.kind != KIND_MODULES:
            staging = build_beside(target, files, first=MARKER)
            os.rename(target, _free_backup_name(target))
            os.rename(staging, target)
            return
        staging = build_beside(target, files, first=MARKER)
        trash = staging.with_name(staging.name.replace(".staging.", ".old.", 1))
        try:
            replace_dir(staging, target, trash)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(trash, ignore_errors=True)


def interrupted_switch(root: Path) -> Path | None:
    """The journal of a switch a crash interrupted in `root`, if any: until the next
    `generate` finishes it, the directory may hold old and new files side by side."""
    if not root.is_dir():
        return None
    with os.scandir(root) as entries:
        for entry in entries:
            journal = Path(entry.path) / JOURNAL
            if _STAGING_RE.fullmatch(entry.name) and journal.is_file():
                return journal
    return None


def check_generated_dir(root: Path, *, platform: str | None, force: bool = False) -> None:
    """The checks of `write_generated_dir` that need no rendering: run them first to fail fast.

    `write_generated_dir` repeats them (the directory may change meanwhile).
    """
    target = Path(os.path.realpath(root))
    with output_errors(target):
        _check_writable(target)
        if _absent_or_empty(target):
            return
        marker = _read_marker_or_none(target, force)
        _check_owner(target, marker, force, KIND_ROOT)
        if marker is not None and platform is not None and not force:
            _check_platform_switch(target, marker, platform, None)


def check_modules_dir(root: Path, *, force: bool = False) -> None:
    """The checks of `write_modules_dir` that need no rendering."""
    target = Path(os.path.realpath(root))
    with output_errors(target):
        _check_writable(target)
        if not _absent_or_empty(target):
            _check_owner(target, _read_marker_or_none(target, force), force, KIND_MODULES)


def modules_marker() -> str:
    """The committed tree's marker: constant, so regenerating never changes it."""
    return json.dumps({"generator": "typhoon-tf", "kind": KIND_MODULES}, indent=2) + "\n"


# ------------------------------------------------------------------------------ ownership


def owned_path_problem(rel: object) -> str | None:
    """Why `rel` is not a path typhoon-tf writes in a root module (None when it is)."""
    if not isinstance(rel, str):
        return "is not a string"
    if not rel or len(rel) > MAX_PATH_CHARS or "\x00" in rel or "\\" in rel:
        return "is not a plain relative path"
    parts = PurePosixPath(rel).parts
    if rel.startswith("/") or "/".join(parts) != rel or any(p in (".", "..") for p in parts):
        return "is not a normalised path inside the output directory"
    if len(parts) == 1:
        return None if rel in ROOT_FILES else f"is not one of {', '.join(ROOT_FILES)}"
    if parts[0] not in ROOT_DIRS:
        return f"is not under {'/ or '.join(ROOT_DIRS)}/"
    if any(p.startswith(".") for p in parts) or not rel.endswith(TREE_SUFFIXES):
        return f"is not a {', '.join(TREE_SUFFIXES)} file typhoon-tf writes"
    return None


def read_marker(root: Path) -> Marker | None:
    """The marker of `root`, None when there is none; a UserError when it is malformed."""
    path = root / MARKER
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise _bad_marker(path, "is not a regular file")
    if info.st_size > MAX_MARKER_BYTES:
        raise _bad_marker(path, f"is larger than {MAX_MARKER_BYTES} bytes")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        raise _bad_marker(path, "is not valid JSON") from None
    return parse_marker(data, path)


def parse_marker(data: object, path: Path) -> Marker:
    if not isinstance(data, dict) or data.get("generator") != "typhoon-tf":
        raise _bad_marker(path, 'is not an object with "generator": "typhoon-tf"')
    kind = data.get("kind", KIND_ROOT)
    if kind == KIND_MODULES:
        return Marker(kind=KIND_MODULES)
    if kind != KIND_ROOT:
        raise _bad_marker(path, f"has an unknown kind {str(kind)[:40]!r}", "kind")
    files = data.get("files")
    if not isinstance(files, list):
        raise _bad_marker(path, "must be a list of paths", "files")
    if len(files) > MAX_MARKER_FILES:
        raise _bad_marker(path, f"lists {len(files)} paths (limit {MAX_MARKER_FILES})", "files")
    for index, rel in enumerate(files):
        problem = owned_path_problem(rel)
        if problem:
            shown = repr(rel)[:80] if isinstance(rel, str) else type(rel).__name__
            raise _bad_marker(path, f"{shown} {problem}", f"files.{index}")
    identity = {k: data.get(k) for k in ("platform", "os")}
    for key, value in identity.items():
        if value is not None and not isinstance(value, str):
            raise _bad_marker(path, "must be a string", key)
    platform, os_name = identity["platform"], identity["os"]
    if platform is None:
        platform, os_name = _identity(files)
    return Marker(KIND_ROOT, frozenset(files), platform, os_name)


def _bad_marker(path: Path, problem: str, key: str | None = None) -> UserError:
    return UserError(
        f"{problem}; typhoon-tf touched nothing (fix or delete the marker, or pass --force "
        "to treat the directory as not generated by typhoon-tf)",
        file=str(path),
        path=key,
    )


def _read_marker_or_none(root: Path, force: bool) -> Marker | None:
    try:
        return read_marker(root)
    except UserError:
        # --force writes into directories typhoon-tf did not generate: a broken marker is
        # ignored, and since it is ignored nothing it lists can be removed.
        if force:
            return None
        raise


def _check_owner(root: Path, marker: Marker | None, force: bool, kind: str) -> None:
    if force or (marker is not None and marker.kind == kind):
        return
    what = "typhoon-tf generate" if kind == KIND_ROOT else "typhoon-tf modules"
    raise _foreign(root, marker, what)


def _check_writable(target: Path) -> None:
    """Fail before any work when the output's nearest existing directory is not writable."""
    probe = target
    while not os.path.lexists(probe) and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(probe))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(probe))


def _foreign(root: Path, marker: Marker | None, what: str) -> UserError:
    owner = "was not generated by typhoon-tf" if marker is None else f"holds a {marker.kind}"
    return UserError(
        f"directory exists and {owner} (no marker for {what}); "
        "choose another -o or pass --force (files in the way are kept as backups)",
        file=str(root),
    )


def _identity(files: object) -> tuple[str | None, str | None]:
    """(platform, os) of a root module, from the path of the cluster module it holds."""
    for rel in files if isinstance(files, list | frozenset | set | dict) else ():
        match = _MODULE_KEY_RE.match(str(rel))
        if match:
            return match["platform"], match["os"]
    return None, None


def _root_marker(files: Mapping[str, str], kept: frozenset[str]) -> str:
    platform, os_name = _identity(list(files))
    owned = sorted({*files, *kept})
    data = {
        "generator": "typhoon-tf",
        "kind": KIND_ROOT,
        "version": __version__,
        "platform": platform,
        "os": os_name,
        "files": owned,
    }
    return json.dumps(data, indent=2) + "\n"


def _check_platform_switch(
    root: Path, old: Marker, platform: str | None, os_name: str | None
) -> None:
    if old.platform is None or platform is None or old.platform == platform:
        return
    if not _holds_state(root):
        return
    raise UserError(
        f"holds Terraform state for platform {old.platform} ({old.os}); generating "
        f"platform {platform}{f' ({os_name})' if os_name else ''} here would make the next "
        "apply act on that state. "
        "Choose another -o, or pass --force if you really mean to switch platforms",
        file=str(root),
    )


def _holds_state(root: Path) -> bool:
    names = ("terraform.tfstate", "terraform.tfstate.d", ".terraform", "backend.tf")
    return any(os.path.lexists(root / name) for name in names)


# ------------------------------------------------------------------------ new directories


def _absent_or_empty(root: Path) -> bool:
    if not os.path.lexists(root):
        return True
    _require_dir(root)
    with os.scandir(root) as entries:
        return next(entries, None) is None


def _require_dir(root: Path) -> None:
    if os.path.islink(root) or not root.is_dir():
        raise UserError("exists and is not a directory", file=str(root))


def _create(root: Path, files: Mapping[str, str]) -> None:
    """Build `root` beside its final name, then rename it into place (one atomic step)."""
    created = make_parents(root.parent)
    try:
        staging = build_beside(root, files, first=MARKER)
    except BaseException:
        remove_created(created)
        raise
    try:
        # Renaming over an empty directory is allowed; over a non-empty one (a directory
        # that appeared meanwhile) it fails and the staging tree is dropped.
        os.rename(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def _locked_parent(root: Path) -> Iterator[None]:
    """Serialise typhoon-tf runs writing beside each other (an advisory lock, no file)."""
    parent = root.parent
    while not parent.is_dir():
        parent = parent.parent
    fd = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(
                f"another typhoon-tf is writing in {parent}; try again when it is done",
                file=str(root),
            ) from None
        yield
    finally:
        os.close(fd)


def _clean_beside(root: Path) -> None:
    """Delete staging trees crashed runs left beside `root`: our names and our marker only."""
    if not root.parent.is_dir():
        return
    pattern = re.compile(re.escape(f".{root.name}") + r"\.(staging|old)\.[a-z0-9_]{8}")
    with os.scandir(root.parent) as entries:
        leftovers = [e.path for e in entries if pattern.fullmatch(e.name)]
    for path in leftovers:
        if _is_our_tree(Path(path)):
            shutil.rmtree(path)


def _is_our_tree(path: Path) -> bool:
    """A real directory (not a symlink) that is empty, holds only an empty marker (a run
    killed between creating the marker, written first, and writing it) or starts with our
    marker."""
    if os.path.islink(path) or not path.is_dir():
        return False
    with os.scandir(path) as entries:
        first_two = [entry.name for _, entry in zip(range(2), entries, strict=False)]
    if not first_two:
        return True
    if first_two == [MARKER]:
        info = os.lstat(path / MARKER)
        if stat.S_ISREG(info.st_mode) and info.st_size == 0:
            return True
    try:
        read = read_marker(path)
    except UserError:
        return False
    return read is not None


# ------------------------------------------------------------------- existing directories


def _update(root: Path, files: dict[str, str], force: bool) -> None:
    marker = _read_marker_or_none(root, force)
    _check_owner(root, marker, force, KIND_ROOT)
    if marker is not None and not force:
        _check_platform_switch(root, marker, *_identity(list(files)))
    _recover(root)
    marker = _read_marker_or_none(root, force)
    owned = marker.files if marker is not None and marker.kind == KIND_ROOT else frozenset()
    _check_no_symlinks(root, files)
    _remove_stray_temp_files(root)
    kept = frozenset(
        k for k in KEPT_WHEN_STALE if k in owned and k not in files and (root / k).is_file()
    )
    generated = {**files, MARKER: _root_marker(files, kept)}
    stage = make_temp_dir(root, STAGING_PREFIX)
    try:
        plan = _stage(root, stage, generated, owned)
        if plan.empty():
            shutil.rmtree(stage)
            return
        _write_journal(stage, plan)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _commit(root, stage, plan)
    _discard(stage)


def _check_no_symlinks(root: Path, files: Mapping[str, str]) -> None:
    """typhoon-tf writes real files and directories; a symlink in their place is refused.

    Owned directories are checked even when not written this time: switching one out
    would replace the user's link.
    """
    for name in (*(n for n in ROOT_FILES if n in files), *ROOT_DIRS, MARKER):
        if os.path.islink(root / name):
            raise UserError(
                f"{name} is a symlink; typhoon-tf writes a real "
                f"{'directory' if name in ROOT_DIRS else 'file'} there and never follows "
                "links. Remove it or choose another -o",
                file=str(root),
            )
        if not os.path.lexists(root / name):
            continue
        wrong = not (root / name).is_dir() if name in ROOT_DIRS else not (root / name).is_file()
        if wrong:
            raise UserError(f"{name} is in the way of what typhoon-tf writes", file=str(root))


def _remove_stray_temp_files(root: Path) -> None:
    """Temp files of earlier versions' interrupted writes (`.main.tf.k3j9x_2a.tmp`)."""
    with os.scandir(root) as entries:
        for entry in list(entries):
            match = _TMP_RE.fullmatch(entry.name)
            ours = match is not None and match["name"] in (*ROOT_FILES, MARKER)
            if ours and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _stage(root: Path, stage: Path, generated: Mapping[str, str], owned: frozenset[str]) -> Plan:
    """Write the complete new tree under `stage/new`; return the renames that switch it in."""
    new = stage / "new"
    write_files(new, generated)
    plan = Plan()
    for name in ROOT_DIRS:
        _carry_over(root / name, new / name, name, owned)
        staged, current = new / name, root / name
        if staged.is_dir():
            if not (current.is_dir() and _same_tree(staged, current)):
                plan.dirs[name] = os.lstat(staged).st_ino
        elif os.path.lexists(current):
            plan.remove.append(name)
    for name in sorted(set(ROOT_FILES) & set(generated)):
        current = root / name
        if _same_file(current, new / name):
            continue
        if current.is_file() and name not in owned:
            _backup(current)
        plan.files.append(name)
    if not plan.empty() or not _same_file(root / MARKER, new / MARKER):
        plan.files.append(MARKER)  # the marker is always switched last
    return plan


def _same_file(current: Path, staged: Path) -> bool:
    return current.is_file() and current.read_bytes() == staged.read_bytes()


def _carry_over(source: Path, staged: Path, prefix: str, owned: frozenset[str]) -> None:
    """Link the user's files under an owned directory into its staged replacement.

    Files the old marker lists are ours (replaced or dropped); anything else is the user's
    and moves with the directory, under a backup name where a generated file takes its place.
    """
    if not os.path.lexists(source):
        return
    for dirpath, dirnames, filenames in os.walk(source):  # never follows symlinks
        rel_dir = Path(dirpath).relative_to(source)
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = [d for d in dirnames if d not in links]
        for name in [*filenames, *links]:
            rel = (Path(prefix) / rel_dir / name).as_posix()
            if rel in owned or _TMP_RE.fullmatch(name):
                continue
            _link_into(Path(dirpath) / name, staged / rel_dir / name)
        if not dirnames and not filenames and not links:
            (staged / rel_dir).mkdir(parents=True, exist_ok=True)


def _link_into(source: Path, dest: Path) -> None:
    for parent in reversed(dest.parents):
        if os.path.lexists(parent) and not parent.is_dir():
            raise UserError(
                f"{source} is in the way of a file typhoon-tf writes; move it and retry",
                file=str(source.parent),
            )
    dest.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(dest):
        dest = _free_backup_name(dest)
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        # A file system without hard links: copy (a symlink as a symlink).
        if source.is_symlink():
            os.symlink(os.readlink(source), dest)
        else:
            shutil.copy2(source, dest, follow_symlinks=False)


def _backup(path: Path) -> Path:
    """Keep the user's `path` as `<path>.typhoon-tf-backup-<n>` (n = the first free number)."""
    backup = _free_backup_name(path)
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        shutil.copy2(path, backup, follow_symlinks=False)
    return backup


def _free_backup_name(path: Path) -> Path:
    n = 1
    while os.path.lexists(f"{path}{BACKUP_INFIX}{n}"):
        n += 1
    return Path(f"{path}{BACKUP_INFIX}{n}")


def _same_tree(a: Path, b: Path) -> bool:
    return _tree_digest(a) == _tree_digest(b)


def _tree_digest(root: Path) -> dict[str, bytes | str | None]:
    """Every entry under `root`: file bytes, symlink target, or None for a directory."""
    entries: dict[str, bytes | str | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        for name in dirnames:
            path = Path(dirpath) / name
            entries[str(rel_dir / name)] = os.readlink(path) if path.is_symlink() else None
        for name in filenames:
            path = Path(dirpath) / name
            link = path.is_symlink()
            entries[str(rel_dir / name)] = os.readlink(path) if link else path.read_bytes()
    return entries


# ----------------------------------------------------------------------------- the switch


def _write_journal(stage: Path, plan: Plan) -> None:
    data = {"dirs": plan.dirs, "remove": plan.remove, "files": plan.files}
    tmp = stage / f"{JOURNAL}.tmp"
    tmp.write_text(json.dumps(data))
    # The rename is the point of no return: from here the next run finishes the switch.
    os.replace(tmp, stage / JOURNAL)


def _commit(root: Path, stage: Path, plan: Plan) -> None:
    """Do the switch; every step can be repeated, so an interrupted switch is redone."""
    new, old = stage / "new", stage / "old"
    old.mkdir(exist_ok=True)
    for name, inode in plan.dirs.items():
        target = root / name
        if os.path.lexists(target) and os.lstat(target).st_ino == inode:
            continue  # switched already
        replace_dir(new / name, target, old / name)
    for name in plan.remove:
        if os.path.lexists(root / name) and not os.path.lexists(old / name):
            os.rename(root / name, old / name)
    for name in plan.files:
        if os.path.lexists(new / name):
            os.replace(new / name, root / name)


def _discard(stage: Path) -> None:
    (stage / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(stage)


def _recover(root: Path) -> None:
    """Finish switches a crash interrupted; drop staging trees that never got a journal."""
    with os.scandir(root) as entries:
        stages = [Path(e.path) for e in entries if _STAGING_RE.fullmatch(e.name)]
    for stage in stages:
        if os.path.islink(stage) or not stage.is_dir():
            continue
        plan = _read_journal(stage)
        if plan is not None:
            _commit(root, stage, plan)
        _discard(stage)


def _read_journal(stage: Path) -> Plan | None:
    path = stage / JOURNAL
    if not path.is_file() or path.is_symlink():
        return None
    try:
        data = json.loads(path.read_text())
        dirs = {str(k): int(v) for k, v in data["dirs"].items()}
        plan = Plan(dirs, [str(n) for n in data["remove"]], [str(n) for n in data["files"]])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # not a journal we wrote: the staging tree is just discarded
    allowed_dirs, allowed_files = set(ROOT_DIRS), {*ROOT_FILES, MARKER}
    if set(plan.dirs) | set(plan.remove) <= allowed_dirs and set(plan.files) <= allowed_files:
        return plan
    return None
