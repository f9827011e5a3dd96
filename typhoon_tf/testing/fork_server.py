"""One fork server (`fakeprovider/zygote.py`) per verification run, serving a mirror's fakes.

`with fork_server(mirror):` around the Terraform commands of a run: the mirror's launchers find
the zygote through a pointer file in the mirror and have it fork their provider; outside the
block (or when the zygote could not start) they serve in their own process.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator

from typhoon_tf.testing.fakeprovider import zygote_client
from typhoon_tf.testing.mirror import Mirror, import_path

ZYGOTE_READY_SECONDS = 60.0


def _zygote_program(socket_path: str) -> str:
    return (
        "import sys\n"
        f"sys.path[:] = {import_path()!r}\n"
        "from typhoon_tf.testing.fakeprovider.main import preload\n"
        "from typhoon_tf.testing.fakeprovider.zygote import serve_forever\n"
        f"serve_forever({socket_path!r}, preload)\n"
    )


def _wait_ready(proc: subprocess.Popen[bytes], seconds: float) -> bool:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(seconds):
            return False
    return proc.stdout.readline().strip() == b"ready"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()  # its children die with it (PR_SET_PDEATHSIG)
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


@contextlib.contextmanager
def fork_server(mirror: Mirror) -> Iterator[int | None]:
    """Serve `mirror`'s fakes from one zygote (`fakeprovider/zygote.py`) while the block
    runs: the fakes' imports are paid once instead of at every provider start. Yields the
    zygote's pid, or None when not serving; without it (no fakes, or it did not come up)
    every launcher serves in its own process, as also for Terraform runs after the block."""
    if not any(choice.kind == "fake" for choice in mirror.choices):
        yield None
        return
    # A short directory: a Unix socket's path must fit in 107 bytes.
    socket_dir = tempfile.mkdtemp(prefix="typhoon-fz-")
    socket_path = os.path.join(socket_dir, "s")
    pointer = mirror.root / zygote_client.POINTER_FILE
    # Its own messages (a crash at start-up) go to a log in the mirror: inheriting the
    # caller's stderr would hold a pipe open that the caller may be waiting on.
    with (mirror.root / "zygote.log").open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-S", "-c", _zygote_program(socket_path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    try:
        serving = _wait_ready(proc, ZYGOTE_READY_SECONDS)
        if serving:
            pointer.write_text(socket_path)
        yield proc.pid if serving else None
    finally:
        pointer.unlink(missing_ok=True)
        _stop(proc)
        shutil.rmtree(socket_dir, ignore_errors=True)
