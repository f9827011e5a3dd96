"""Reading `local:` files from the files directory (`-d`), refusing paths that escape it.

Like Butane, the check is lexical: the path is joined onto the directory, cleaned, and
must stay inside it (an absolute `local` is still relative to the directory).
"""

from __future__ import annotations

import os
import posixpath

from typhoon_tf.inputs import IS_A_DIRECTORY, LOCAL_FILE_LIMIT, InputError, read_bytes

NO_FILES_DIR = (
    "local file paths are relative to a files directory that must be specified with -d/--files-dir"
)
ESCAPES_FILES_DIR = "local file path traverses outside the files directory"


class LocalFileError(Exception):
    """Why a local file could not be read (the caller adds the YAML location)."""


def resolve_local(files_dir: str | None, local: str) -> str:
    """The host path for `local`, checked to stay within `files_dir`."""
    if files_dir is None:
        raise LocalFileError(NO_FILES_DIR)
    base = posixpath.normpath(files_dir)
    joined = posixpath.normpath(base + "/" + local)
    rel = posixpath.relpath(joined, base) if joined != base else "."
    if rel == ".." or rel.startswith("../"):
        raise LocalFileError(ESCAPES_FILES_DIR)
    return joined


def read_local(files_dir: str | None, local: str) -> bytes:
    path = resolve_local(files_dir, local)
    try:
        # The shared safe reader: regular files only (no FIFO/device), size-capped.
        return read_bytes(path, limit=LOCAL_FILE_LIMIT, what="local file")
    except InputError as err:
        if err.errno:  # Butane's (Go's) wording for what the OS refused
            raise LocalFileError(f"open {path}: {os.strerror(err.errno).lower()}") from None
        if err.reason == IS_A_DIRECTORY:
            raise LocalFileError(f"read {path}: is a directory") from None
        raise LocalFileError(f"open {path}: {err.reason}") from None
