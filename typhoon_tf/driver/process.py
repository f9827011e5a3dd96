"""Run one Terraform command: stream its output line by line and forward Ctrl-C.

Terraform runs in its own session, so a Ctrl-C at the terminal reaches only us; we forward
the first one (Terraform stops gracefully: running operations finish, state is written and
the lock released) and the second one (Terraform's own "exit immediately"). A third kills
the process. Without this, the terminal would signal both processes at once and the
driver would die before Terraform had written its state.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

LineHandler = Callable[[str], object]


@dataclass
class Completed:
    returncode: int
    interrupts: int  # how many Ctrl-Cs were forwarded
    stderr: str


class _Interrupts:
    """SIGINT/SIGTERM handler that escalates: interrupt, interrupt again, kill."""

    def __init__(self, proc: subprocess.Popen[str], notice: TextIO) -> None:
        self.proc = proc
        self.notice = notice
        self.count = 0

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        if self.proc.poll() is not None:
            return
        if self.count == 1:
            self.notice.write(
                "\ntyphoon-tf: interrupt sent to terraform; waiting for it to stop cleanly "
                "(Ctrl-C again to stop it hard)\n"
            )
            self.proc.send_signal(signal.SIGINT)
        elif self.count == 2:
            self.notice.write("\ntyphoon-tf: second interrupt sent; terraform exits now\n")
            self.proc.send_signal(signal.SIGINT)
        else:
            self.proc.kill()
        self.notice.flush()


def _pump(stream: TextIO, sink: list[str], echo: TextIO | None) -> None:
    for line in stream:
        sink.append(line)
        if echo is not None:
            echo.write(line)
            echo.flush()


def run_streaming(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    on_line: LineHandler,
    stderr_echo: TextIO | None = None,
) -> Completed:
    """Run `argv`, calling `on_line` for each stdout line; stderr is echoed and kept."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    notice = stderr_echo or sys.stderr
    previous: dict[int, Any] = {}
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        start_new_session=True,
    )
    handler = _Interrupts(proc, notice)
    if in_main_thread:
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, handler)
    err_lines: list[str] = []
    assert proc.stdout is not None and proc.stderr is not None
    pump = threading.Thread(target=_pump, args=(proc.stderr, err_lines, stderr_echo), daemon=True)
    pump.start()
    try:
        for line in proc.stdout:
            on_line(line)
        returncode = proc.wait()
        pump.join(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for signum, old in previous.items():
            signal.signal(signum, old)
    return Completed(returncode, min(handler.count, 2), "".join(err_lines))
