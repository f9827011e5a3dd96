"""Helpers for the hostile-input tests: run the CLI in-process with a hang guard, and
compare a directory tree before and after."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

# Hang guard only (never a speed assertion): far above what any case needs.
HANG_GUARD_SECONDS = 120.0


class Hung(Exception):
    """The command did not finish within the hang guard."""


@dataclass(frozen=True)
class Outcome:
    rc: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@contextlib.contextmanager
def hang_guard(seconds: float = HANG_GUARD_SECONDS) -> Iterator[None]:
    """Raise `Hung` in the main thread after `seconds` (SIGALRM also interrupts a blocked
    open/read, e.g. on a FIFO)."""

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(
    argv: Sequence[str], *, stdin: bytes = b"", seconds: float = HANG_GUARD_SECONDS
) -> Outcome:
    """`typhoon-tf ARGV` in-process: exit status, stdout and stderr as text."""
    from typhoon_tf.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="replace")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="replace")
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        with hang_guard(seconds):
            try:
                rc = main(list(argv))
            except SystemExit as exit_:  # argparse
                rc = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        out.flush()
        err.flush()
    return Outcome(
        rc, out_bytes.getvalue().decode("utf-8", "replace"), err_bytes.getvalue().decode()
    )


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under `root` (symlinks not followed, special files not opened)."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            info = path.lstat()
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(info.st_mode):
                found[rel] = "link " + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                found[rel] = "file " + _digest(path) + f" {stat.S_IMODE(info.st_mode):o}"
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = "dir"
            else:
                found[rel] = f"special {stat.S_IFMT(info.st_mode):o}"
    return found


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def assert_one_line_error(outcome: Outcome, *fragments: str) -> None:
    """Exit 2, exactly one stderr line `typhoon-tf: error: ...` holding every fragment."""
    assert "Traceback" not in outcome.err, outcome.err
    assert outcome.rc == 2, (outcome.rc, outcome.err)
    assert len(outcome.err_lines) == 1, outcome.err
    line = outcome.err_lines[0]
    assert line.startswith("typhoon-tf: error: "), line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
