"""Writing output so that a failure never leaves anything half-written.

Every function here turns an `OSError` about the output path (a parent that is a regular
file, a read-only directory, `/proc`) into a one-line `UserError` naming the path, after
removing whatever it had created: "nothing written" holds for errors too.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from typhoon_tf.errors import UserError

# renameat2(2) flag: swap two existing paths in one step (Linux >= 3.15, glibc >= 2.28).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def output_error(path: Path | str, err: OSError) -> UserError:
    """One line for a failed write: which output, which path inside it failed, and why."""
    reason = err.strerror or type(err).__name__
    detail = f" ({err.filename})" if err.filename and str(err.filename) != str(path) else ""
    return UserError(f"cannot write output: {reason}{detail}", file=str(path))


@contextmanager
def output_errors(path: Path | str) -> Iterator[None]:
    """Report any OSError raised inside the block as a `UserError` about `path`."""
    try:
        yield
    except OSError as err:
        raise output_error(path, err) from None
    except ValueError as err:
        # e.g. a NUL byte in the path: the OS never sees it, Python refuses it.
        raise UserError(f"cannot write output: {err}", file=str(path)) from None


def check_writable_target(path: Path) -> None:
    """Fail before any slow work when `path` could not be written: its nearest existing
    ancestor must be a writable directory (the write itself still reports what it hits)."""
    with output_errors(path):
        ancestor = path.parent
        while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(ancestor))
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(ancestor))


def make_parents(directory: Path) -> list[Path]:
    """Create `directory` and its missing parents; return what was created, outermost first.

    On failure everything created here is removed again before the error propagates.
    """
    missing: list[Path] = []
    probe = directory
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if os.path.lexists(probe) and not probe.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(probe))
    missing.reverse()
    created: list[Path] = []
    try:
        for path in missing:
            path.mkdir()
            created.append(path)
    except BaseException:
        remove_created(created)
        raise
    return created


def remove_created(created: list[Path]) -> None:
    """Undo `make_parents`: remove the directories it made, innermost first, if still empty."""
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:
            return


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths; False when the system cannot (then nothing moved)."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def replace_dir(staged: Path, target: Path, trash: Path) -> None:
    """Put directory `staged` at `target`; the previous `target` (if any) ends up at `trash`.

    With renameat2 the switch is one atomic step; elsewhere there is a moment without
    `target` (never a mix of old and new).
    """
    if not os.path.lexists(target):
        os.rename(staged, target)
        return
    if exchange(staged, target):
        os.rename(staged, trash)
        return
    os.rename(target, trash)
    os.rename(staged, target)


def write_file_atomic(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write `data` to `path` via a temp file and rename: readers never see a partial file."""
    payload = data.encode() if isinstance(data, str) else data
    with output_errors(path):
        created = make_parents(path.parent)
        try:
            _replace_file(path, payload, mode)
        except BaseException:
            remove_created(created)
            raise


def _replace_file(path: Path, payload: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_private_file(path: Path, text: str) -> None:
    """Write `text` to `path` readable by the owner only (0600), atomically."""
    write_file_atomic(path, text, mode=0o600)


def staging_prefix(root: Path) -> str:
    """Name prefix of the directories built beside `root` (recognised when left by a crash)."""
    return f".{root.name}.staging."


def write_tree_atomic(root: Path, files: Mapping[str, bytes | str]) -> None:
    """Replace the directory `root` with exactly `files` (relative path -> content).

    The tree is built beside `root` and swapped in at the end; on any error the
    previous `root` (if any) is left untouched.
    """
    root = Path(os.path.abspath(root))
    with output_errors(root):
        created = make_parents(root.parent)
        try:
            staging = build_beside(root, files)
        except BaseException:
            remove_created(created)
            raise
        try:
            trash = staging.with_name(staging.name.replace(".staging.", ".old.", 1))
            replace_dir(staging, root, trash)
            shutil.rmtree(trash, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def build_beside(root: Path, files: Mapping[str, bytes | str], first: str = "") -> Path:
    """Write `files` into a new staging directory beside `root` and return it.

    `first` (a key of `files`) is written before everything else: a marker written first
    makes a half-built staging tree recognisable as ours after a crash.
    """
    staging = make_temp_dir(root.parent, staging_prefix(root))
    try:
        write_files(staging, files, first)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def make_temp_dir(parent: Path, prefix: str) -> Path:
    """A new directory with a unique name, with the usual permissions (mkdtemp gives 0700)."""
    try:
        path = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    except OSError as err:
        # Name the directory the user chose, not our temporary name inside it.
        raise OSError(err.errno, err.strerror, str(parent)) from None
    os.chmod(path, 0o777 & ~_umask())
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_files(directory: Path, files: Mapping[str, bytes | str], first: str = "") -> None:
    """Write `files` under the fresh directory `directory` (no temp files needed)."""
    order = sorted(files, key=lambda rel: (rel != first, rel))
    for rel in order:
        content = files[rel]
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
