"""A stand-in for the fakes, served by a real zygote in tests (no tests here): the "schema
file" a launcher asks for is a command saying what the forked child does."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable


def serve(command: str) -> None:
    kind, _, arg = command.partition(":")
    if kind == "exit":
        sys.exit(int(arg))
    if kind == "exit-message":
        sys.exit(arg)
    if kind == "signal":
        os.kill(os.getpid(), getattr(signal, arg))
    if kind == "report":  # what the child took over from its launcher
        report = {
            "pid": os.getpid(),
            "ppid": os.getppid(),
            "cwd": os.getcwd(),
            "env": os.environ.get("PROBE_VALUE"),
            "argv": sys.argv,
            "stdin": sys.stdin.readline().strip(),
        }
        print(json.dumps(report), flush=True)
        print("to stderr", file=sys.stderr, flush=True)
        return
    if kind == "serve":  # like a provider: handshake line, then serve until killed
        print(f"serving {os.getpid()}", flush=True)
        while True:
            time.sleep(3600)
    raise RuntimeError(f"unknown probe command {command!r}")


def preload() -> Callable[[str], None]:
    return serve
