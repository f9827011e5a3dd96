"""A fork server for fake providers: import once, fork a fresh provider per Terraform start.

Terraform starts every provider two or three times per command (schema, validate, plan...),
and a fake's imports (gRPC, protobuf, the `tf` library, our servicer) are most of its cost:
about 0.12 s of CPU each time, some 50 times per plan/apply cycle. The zygote pays them once
per verification run and forks a child for each start. The child is still a fresh provider
process as Terraform knows it: it takes over the launcher's stdin/stdout/stderr (passed over a
Unix socket with SCM_RIGHTS), working directory, environment and argv, prints go-plugin's
handshake and serves until Terraform shuts it down; the launcher exits with the child's status
and, if Terraform kills the launcher, the zygote kills the child.

This module imports only the standard library at the top: the launcher imports it by path
(no package `__init__`), and without a zygote it falls back to serving in its own process.
gRPC is imported but never started in the zygote (no server, channel or thread before a fork),
which is what gRPC requires of a process that forks.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import traceback
from collections.abc import Callable
from typing import Any

# Where a mirror's launchers look for the zygote of the run that is using the mirror.
POINTER_FILE = ".zygote"
_HEADER = struct.Struct("!I")
_STATUS = struct.Struct("!i")
_FDS = (0, 1, 2)
_IDLE_TIMEOUT = 1.0  # SIGCHLD wakes the loop; this only bounds a missed wake-up


# -- launcher side ------------------------------------------------------------------------


def _connect(pointer: str) -> socket.socket | None:
    try:
        with open(pointer) as handle:
            path = handle.read().strip()
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(path)
        return client
    except OSError:
        return None


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def launch(pointer: str, schema_file: str) -> int | None:
    """Have the zygote named in `pointer` serve `schema_file` as this process; return the
    served child's exit status, or None when there is no zygote (serve in-process then)."""
    conn = _connect(pointer)
    if conn is None:
        return None
    request = {"schema": schema_file, "cwd": os.getcwd(), "env": dict(os.environ)}
    request["argv"] = sys.argv
    body = json.dumps(request).encode()
    fds = array.array("i", _FDS)
    try:
        conn.sendmsg(
            [_HEADER.pack(len(body)) + body], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)]
        )
        (status,) = _STATUS.unpack(_recv_exact(conn, _STATUS.size))
    except (OSError, EOFError):
        return 1  # the zygote went away mid-serve: the child was killed with it
    return int(status)


# -- zygote side --------------------------------------------------------------------------


def _receive_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    fds = array.array("i")
    data, ancillary, _flags, _addr = conn.recvmsg(
        1 << 20, socket.CMSG_SPACE(len(_FDS) * fds.itemsize)
    )
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    (size,) = _HEADER.unpack(data[: _HEADER.size])
    body = data[_HEADER.size :]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    request: dict[str, Any] = json.loads(body)
    return request, list(fds)


def _become_provider(request: dict[str, Any], fds: list[int], serve: Callable[[str], None]) -> None:
    """In the forked child: take over the launcher's process context, then serve."""
    for target, fd in zip(_FDS, fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = list(request["argv"])
    status = 0
    try:
        serve(request["schema"])
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(status)


class _Zygote:
    def __init__(self, listener: socket.socket, serve: Callable[[str], None]) -> None:
        self.listener = listener
        self.serve = serve
        self.selector = selectors.DefaultSelector()
        self.selector.register(listener, selectors.EVENT_READ)
        self.children: dict[int, socket.socket] = {}  # pid -> its launcher's connection
        self.stopping = False
        self.parent = os.getppid()  # the run that started us: we end with it
        # A child's exit wakes the loop at once (the launcher, and so Terraform, waits on it).
        self.wakeup_read, self.wakeup_write = os.pipe()
        os.set_blocking(self.wakeup_read, False)
        os.set_blocking(self.wakeup_write, False)
        signal.set_wakeup_fd(self.wakeup_write, warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)
        self.selector.register(self.wakeup_read, selectors.EVENT_READ)

    def _fork_for(self, conn: socket.socket) -> None:
        try:
            request, fds = _receive_request(conn)
        except (OSError, EOFError, ValueError, struct.error):
            conn.close()
            return
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            os.close(self.wakeup_read)
            os.close(self.wakeup_write)
            self.selector.close()
            self.listener.close()
            for other in self.children.values():
                other.close()
            conn.close()
            _become_provider(request, fds, self.serve)
        for fd in fds:
            os.close(fd)  # the child holds them: Terraform sees EOF when it exits
        self.children[pid] = conn
        self.selector.register(conn, selectors.EVENT_READ, pid)

    def _reap(self) -> None:
        while self.children:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is None:
                continue
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(conn)
            code = os.waitstatus_to_exitcode(wait_status)
            with contextlib.suppress(OSError):
                conn.sendall(_STATUS.pack(code if code >= 0 else 128 - code))
            conn.close()

    def _launcher_readable(self, conn: socket.socket, pid: int) -> None:
        try:
            closed = not conn.recv(4096)  # a launcher sends nothing after its request
        except OSError:
            closed = True
        if closed:
            self.selector.unregister(conn)
            self._launcher_gone(pid)

    def _launcher_gone(self, pid: int) -> None:
        # Terraform killed the launcher (go-plugin's forced stop): the provider goes too.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    def run(self) -> None:
        while not self.stopping:
            for key, _events in self.selector.select(_IDLE_TIMEOUT):
                if key.fileobj == self.wakeup_read:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self.wakeup_read, 4096)
                elif key.fileobj is self.listener:
                    conn, _ = self.listener.accept()
                    self._fork_for(conn)
                elif isinstance(key.fileobj, socket.socket):
                    self._launcher_readable(key.fileobj, key.data)
            self._reap()
            if os.getppid() != self.parent:
                self.stopping = True  # the run was killed without stopping us
        for pid in list(self.children):
            self._launcher_gone(pid)


def serve_forever(socket_path: str, preload: Callable[[], Callable[[str], None]]) -> None:
    """Run a zygote on `socket_path`: `preload()` imports what a fake needs and returns the
    function that serves a schema file. Prints "ready" once accepting; stops on SIGTERM."""
    serve = preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    zygote = _Zygote(listener, serve)

    def stop(_signum: int, _frame: object) -> None:
        zygote.stopping = True

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    zygote.run()
