"""Reading user input safely: the one place every command reads a user's file or stdin.

Cluster configs, snippets and Butane/Ignition documents come from other people's repos,
so the same rules hold for every input (docs/safety.md, "Input limits"):

* only regular files, after following symlinks (the kernel detects symlink loops); a FIFO,
  a device such as /dev/zero or a directory is refused instead of blocking or never ending;
* a size cap per kind of input, checked before and while reading;
* text must be UTF-8; JSON is checked for nesting depth and number length before parsing,
  so the parser never recurses or converts without bound;
* YAML alias expansion is bounded by an `ExpansionBudget` (also used by the Butane decoder).

Every problem is an `InputError` (a `UserError`) naming the file and, where known, the key
path, so the CLI prints one line and exits 2.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from typing import Any, BinaryIO

from typhoon_tf.errors import UserError

KiB = 1024
MiB = 1024 * KiB

# Small settings files a person writes: cluster configs, node settings, tfvars.
CONFIG_LIMIT = 1 * MiB
# Butane and Ignition documents (files, snippets, stdin); inline file contents make them
# larger than configs, but nothing a node can boot from comes near this.
DOCUMENT_LIMIT = 16 * MiB
# Files embedded by `butane -d DIR` (`local:` contents and trees).
LOCAL_FILE_LIMIT = 64 * MiB

# YAML: values a document may expand to through aliases, and how deep it may nest.
CONFIG_VALUE_LIMIT = 100_000  # a real cluster config has a few hundred
BUTANE_VALUE_LIMIT = 2_000_000  # what the Butane decoder has always allowed
YAML_DEPTH_LIMIT = 100
# JSON: nesting depth (Ignition configs nest about 8 levels) and characters in a number
# (Ignition's integers are 64-bit; Python refuses to convert very long integers).
JSON_DEPTH_LIMIT = 100
JSON_NUMBER_LIMIT = 100

_READ_CHUNK = 1 * MiB
IS_A_DIRECTORY = "it is a directory"
_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InputError(UserError):
    """An input that cannot be read; `reason` is the bare problem, for callers that
    report it at another location (e.g. the config key that names a snippet)."""

    def __init__(self, reason: str, *, file: str, what: str, errno: int | None = None) -> None:
        super().__init__(f"cannot read {what}: {reason}", file=file)
        self.reason = reason
        self.errno = errno  # set when the OS refused: callers may word it their own way


def display_name(path: str | os.PathLike[str]) -> str:
    """A path as one printable line (control characters and NUL escaped)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", os.fspath(path))


def size_text(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit >= MiB and limit % MiB == 0 else f"{limit} bytes"


def read_bytes(path: str | os.PathLike[str], *, limit: int, what: str) -> bytes:
    """The contents of the regular file at `path` (symlinks followed), at most `limit` bytes."""
    name = display_name(path)
    if "\x00" in os.fspath(path):
        raise InputError("the path contains a NUL byte", file=name, what=what)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; we refuse it right after.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        raise InputError(_os_reason(err), file=name, what=what, errno=err.errno) from None
    try:
        info = os.fstat(fd)
        kind = next((label for test, label in _FILE_KINDS if test(info.st_mode)), None)
        if kind is not None or not stat.S_ISREG(info.st_mode):
            raise InputError(f"it is {kind or 'not a regular file'}", file=name, what=what)
        if info.st_size > limit:
            raise InputError(_too_big(info.st_size, limit), file=name, what=what)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return _read_capped(handle, limit, name, what)
    except OSError as err:
        raise InputError(_os_reason(err), file=name, what=what) from None
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], *, limit: int, what: str) -> str:
    """`read_bytes` decoded as UTF-8."""
    return decode_utf8(read_bytes(path, limit=limit, what=what), display_name(path), what)


def read_stdin_bytes(*, limit: int, what: str, stream: BinaryIO | None = None) -> bytes:
    """All of stdin, at most `limit` bytes (stdin is a stream by nature: pipes are fine)."""
    handle = stream if stream is not None else getattr(sys.stdin, "buffer", None)
    try:
        if handle is None:  # a text stream in place of stdin (embedding, tests)
            data = sys.stdin.read(limit + 1).encode("utf-8")
            if len(data) > limit:
                raise InputError(_too_big(None, limit), file="<stdin>", what=what)
            return data
        return _read_capped(handle, limit, "<stdin>", what)
    except OSError as err:
        raise InputError(_os_reason(err), file="<stdin>", what=what) from None


def read_stdin_text(*, limit: int, what: str, stream: BinaryIO | None = None) -> str:
    return decode_utf8(read_stdin_bytes(limit=limit, what=what, stream=stream), "<stdin>", what)


def read_input_text(name: str | None, *, limit: int, what: str) -> tuple[str, str]:
    """(text, display name) of a file argument, where None or "-" means stdin."""
    if name is None or name == "-":
        return read_stdin_text(limit=limit, what=what), "<stdin>"
    return read_text(name, limit=limit, what=what), display_name(name)


def decode_utf8(data: bytes, name: str, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}, line {line})",
            file=name,
            what=what,
        ) from None


def _read_capped(handle: BinaryIO, limit: int, name: str, what: str) -> bytes:
    # Read in chunks and stop one byte past the limit: st_size can lie (/proc, a file that
    # grows while we read) and stdin has no size at all.
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = handle.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    raise InputError(_too_big(None, limit), file=name, what=what)


def _too_big(size: int | None, limit: int) -> str:
    shown = f"{size} bytes, " if size is not None else ""
    return f"too large ({shown}limit {size_text(limit)})"


def _os_reason(err: OSError) -> str:
    if err.errno == 40:  # ELOOP on Linux
        return "symlink loop (too many levels of symbolic links)"
    return (err.strerror or str(err)).rstrip(".")


class ExpansionBudget:
    """Bounds the values a YAML document may expand to through aliases ("billion laughs").

    Each decoded or constructed value spends one unit; an alias to a big anchor spends as
    much as a copy would, so a 1 KB file cannot make us build gigabytes.
    """

    __slots__ = ("left", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def spend(self) -> bool:
        """Spend one unit; False once the budget is exhausted."""
        self.left -= 1
        return self.left >= 0

    @property
    def message(self) -> str:
        return f"document is too large after expanding aliases (more than {self.limit:,} values)"


# --- JSON ---------------------------------------------------------------------------------

KeyPath = tuple[str | int, ...]
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|-?[0-9][0-9.eE+-]*', re.DOTALL)
_LONG_DIGITS = re.compile(rf"[0-9]{{{JSON_NUMBER_LIMIT + 1}}}")


def load_json(text: str, file: str, *, at: KeyPath = ()) -> Any:
    """Parse JSON text whose nesting and numbers are bounded; problems name the key path."""
    import json

    _check_json_shape(text, file, at)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        if at:
            raise UserError(f"not valid JSON: {err}", file=file, path=_format_path(at)) from None
        raise UserError(
            f"not valid JSON: {err.msg}", file=file, line=err.lineno, column=err.colno
        ) from None
    except (ValueError, RecursionError) as err:  # a last resort: the shape check bounds both
        raise UserError(f"not usable JSON: {err}", file=file) from None


def _check_json_shape(text: str, file: str, at: KeyPath) -> None:
    # Cheap pre-tests keep the token walk off ordinary documents.
    if text.count("[") + text.count("{") <= JSON_DEPTH_LIMIT and not _LONG_DIGITS.search(text):
        return
    problem = _json_shape_problem(text)
    if problem is not None:
        message, path, offset = problem
        where = _format_path((*at, *path))
        if at:  # text embedded in a field: its positions are not the file's
            raise UserError(message, file=file, path=where)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise UserError(message, file=file, path=where, line=line, column=column)


class _Frame:
    """An open JSON container while scanning tokens.

    A plain class, not a dataclass: this module is on every command's start-up path (the
    butane command, the external program) and `dataclasses` imports inspect, ast and dis.
    """

    __slots__ = ("is_object", "key", "expecting_key")

    def __init__(self, is_object: bool, key: str | int | None, expecting_key: bool) -> None:
        self.is_object = is_object
        self.key = key  # the current key (object) or index (array)
        self.expecting_key = expecting_key  # in an object, the next string is a key


def _json_shape_problem(text: str) -> tuple[str, KeyPath, int] | None:
    """(problem, key path, offset) of the first too-deep container or too-long number."""
    stack: list[_Frame] = []  # one frame per open container
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in "{[":
            if len(stack) >= JSON_DEPTH_LIMIT:
                return (
                    f"nested more than {JSON_DEPTH_LIMIT} levels deep",
                    _path(stack),
                    match.start(),
                )
            stack.append(_Frame(first == "{", None if first == "{" else 0, first == "{"))
        elif first in "}]":
            if stack:
                stack.pop()
        elif first == ",":
            if stack and stack[-1].is_object:
                stack[-1].expecting_key = True
            elif stack:
                index = stack[-1].key
                stack[-1].key = index + 1 if isinstance(index, int) else 0
        elif first == ":":
            if stack:
                stack[-1].expecting_key = False
        elif first == '"':
            if stack and stack[-1].is_object and stack[-1].expecting_key:
                stack[-1].key = token[1:-1]
        elif len(token) > JSON_NUMBER_LIMIT:
            return (
                f"a number of {len(token)} characters is too long (limit {JSON_NUMBER_LIMIT})",
                _path(stack),
                match.start(),
            )
    return None


def _path(stack: list[_Frame]) -> KeyPath:
    return tuple(frame.key for frame in stack if frame.key is not None)


def _format_path(path: KeyPath) -> str:
    """A key path on one short line; very deep paths show their start and their depth."""
    shown = ".".join(str(part) for part in path[:8]) if path else "(top level)"
    return f"{shown}... ({len(path)} levels)" if len(path) > 8 else shown
