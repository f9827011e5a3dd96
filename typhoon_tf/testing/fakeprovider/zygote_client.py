"""The launcher's side of the fakes' fork server (`zygote.py` is the server and explains why).

A launcher imports this file by path, without the package, on every provider start: it must
stay small and import only what connecting and passing descriptors need.

Protocol, per connection: launcher -> 4-byte length + JSON request, with its fds 0, 1, 2 as
SCM_RIGHTS on the first byte; zygote -> 4-byte child pid once forked (before it, a closed
connection means "not served": the launcher serves by itself), then 4-byte exit status.
"""

from __future__ import annotations

import array
import json
import os
import socket
import struct
import sys

# Where a mirror's launchers look for the zygote of the run that is using the mirror.
POINTER_FILE = ".zygote"
WORD = struct.Struct("!i")
FDS = (0, 1, 2)


def same_user(conn: socket.socket) -> bool:
    """The peer runs as us (Linux SO_PEERCRED; elsewhere the socket's 0700 directory)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    creds = struct.Struct("3i")
    _pid, uid, _gid = creds.unpack(conn.getsockopt(socket.SOL_SOCKET, option, creds.size))
    return bool(uid == os.getuid())


def recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _connect(pointer: str) -> socket.socket | None:
    try:
        with open(pointer) as handle:
            path = handle.read().strip()
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:
        return None
    try:
        client.connect(path)
        if same_user(client):
            return client
    except OSError:
        pass
    client.close()
    return None


def launch(pointer: str, schema_file: str) -> int | None:
    """Have the zygote named in `pointer` serve `schema_file` as this process; return the
    served child's exit status, or None when no child was started (serve in-process then)."""
    conn = _connect(pointer)
    if conn is None:
        return None
    request = {"schema": schema_file, "cwd": os.getcwd(), "env": dict(os.environ)}
    request["argv"] = sys.argv
    body = json.dumps(request).encode()
    message = WORD.pack(len(body)) + body
    with conn:
        try:
            fds = array.array("i", FDS)
            sent = conn.sendmsg([message[:1]], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
            conn.sendall(message[sent:])
            recv_exact(conn, WORD.size)  # the child's pid: from here on, it serves
        except (OSError, EOFError):
            return None  # nothing was forked: this process serves
        try:
            (status,) = WORD.unpack(recv_exact(conn, WORD.size))
        except (OSError, EOFError):
            return 1  # the zygote went away mid-serve: the child was killed with it
    return int(status)
