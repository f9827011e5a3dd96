"""A fork server for fake providers: import once, fork a fresh provider per Terraform start.

Terraform starts every provider two or three times per command (schema, validate, plan...),
and a fake's imports (gRPC, protobuf, the `tf` library, our servicer) are most of its cost:
about 0.12 s of CPU each time, some 50 times per plan/apply cycle. The zygote pays them once
per verification run and forks a child for each start. The child is still a fresh provider
process as Terraform knows it: it takes over the launcher's stdin/stdout/stderr (passed over a
Unix socket with SCM_RIGHTS), working directory, environment and argv, prints go-plugin's
handshake and serves until Terraform shuts it down; the launcher exits with the child's status
and, if Terraform kills the launcher, the zygote kills the child.

Terraform waits for EOF on a provider's stdout and stderr before it considers it gone, so
no process but the child may keep a copy of those descriptors: the zygote closes what it
received as soon as it has forked (or failed to), and children die with the zygote.

Launchers import only `zygote_client.py` (the launcher's side and the protocol); without a
zygote they serve in their own process. gRPC is imported but never started in the zygote (no
server, channel or thread before a fork), which is what gRPC requires of a process that forks.
"""

from __future__ import annotations

import array
import contextlib
import ctypes
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

from typhoon_tf.testing.fakeprovider.zygote_client import (
    FDS,
    POINTER_FILE,
    WORD,
    recv_exact,
    same_user,
)

__all__ = ["POINTER_FILE", "serve_forever"]

_IDLE_TIMEOUT = 1.0  # SIGCHLD wakes the loop; this only bounds a missed wake-up
# A launcher sends its whole request at once; one that stalls must not stall the zygote.
_REQUEST_TIMEOUT = 5.0
_MAX_REQUEST = 16 << 20
_PR_SET_PDEATHSIG = 1


# -- in the forked child ------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """A child must never outlive the zygote holding its launcher's connection."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _exit_status(stop: SystemExit) -> int:
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code
    print(stop.code, file=sys.stderr)
    return 1


def _become_provider(
    request: dict[str, Any], fds: list[int], serve: Callable[[str], None], parent: int
) -> None:
    """Take over the launcher's process context, then serve; never return."""
    status = 1
    try:
        _die_with_parent(parent)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for target, fd in zip(FDS, fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(request["argv"])
        serve(request["schema"])
        status = 0
    except SystemExit as stop:
        status = _exit_status(stop)
    except BaseException:
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(status)


# -- zygote side --------------------------------------------------------------------------


def _receive_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The request and exactly three descriptors; nothing received is kept on failure."""
    fds = array.array("i")
    try:
        data, ancillary, flags, _addr = conn.recvmsg(
            1 << 16, socket.CMSG_SPACE(len(FDS) * fds.itemsize)
        )
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
        if flags & socket.MSG_CTRUNC or len(fds) != len(FDS):
            raise ValueError("a request must carry exactly three descriptors")
        if len(data) < WORD.size:
            data += recv_exact(conn, WORD.size - len(data))
        (size,) = WORD.unpack(data[: WORD.size])
        if not 0 < size <= _MAX_REQUEST:
            raise ValueError(f"request of {size} bytes")
        body = data[WORD.size :]
        body += recv_exact(conn, size - len(body))
        request: dict[str, Any] = json.loads(body)
        return request, list(fds)
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


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
            if not same_user(conn):
                raise PermissionError("a launcher of another user")
            conn.settimeout(_REQUEST_TIMEOUT)
            request, fds = _receive_request(conn)
            conn.settimeout(None)
        except (OSError, EOFError, ValueError, struct.error):
            conn.close()  # the launcher serves by itself
            return
        zygote = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            for fd in fds:
                os.close(fd)
            conn.close()  # no pid sent: the launcher serves by itself
            return
        if pid == 0:
            self._close_in_child(conn)
            _become_provider(request, fds, self.serve, zygote)
        for fd in fds:
            os.close(fd)  # only the child may hold them: Terraform waits for their EOF
        self.children[pid] = conn
        with contextlib.suppress(OSError):
            conn.sendall(WORD.pack(pid))
        self.selector.register(conn, selectors.EVENT_READ, pid)

    def _close_in_child(self, conn: socket.socket) -> None:
        signal.set_wakeup_fd(-1)
        os.close(self.wakeup_read)
        os.close(self.wakeup_write)
        self.selector.close()
        self.listener.close()
        for other in self.children.values():
            other.close()
        conn.close()

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
                conn.sendall(WORD.pack(code if code >= 0 else 128 - code))
            conn.close()

    def _launcher_readable(self, conn: socket.socket, pid: int) -> None:
        try:
            closed = not conn.recv(4096)  # a launcher sends nothing after its request
        except OSError:
            closed = True
        if closed:
            self.selector.unregister(conn)
            self._kill(pid)

    def _kill(self, pid: int) -> None:
        # Terraform killed the launcher (go-plugin's forced stop): the provider goes too.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    def _loop(self) -> None:
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

    def run(self) -> None:
        try:
            self._loop()
        finally:
            for pid in list(self.children):
                self._kill(pid)
            for pid, conn in list(self.children.items()):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)  # SIGKILLed: returns at once
                conn.close()


def serve_forever(socket_path: str, preload: Callable[[], Callable[[str], None]]) -> None:
    """Run a zygote on `socket_path`: `preload()` imports what a fake needs and returns the
    function that serves a schema file. Prints "ready" once accepting; stops on SIGTERM or
    when its parent is gone, and removes its socket (and the socket's directory, if empty)."""
    serve = preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    try:
        listener.listen(64)
        zygote = _Zygote(listener, serve)

        def stop(_signum: int, _frame: object) -> None:
            zygote.stopping = True

        signal.signal(signal.SIGTERM, stop)
        print("ready", flush=True)
        zygote.run()
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(socket_path)
        with contextlib.suppress(OSError):
            os.rmdir(os.path.dirname(socket_path))
