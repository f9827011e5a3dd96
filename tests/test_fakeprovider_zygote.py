"""The fakes' fork server (`typhoon_tf/testing/fakeprovider/zygote.py`).

Each Terraform start must still get a provider process of its own, with the launcher's
working directory, environment, argv and standard streams; the launcher reports the
provider's exit status; nothing outlives the launcher or the run that started the zygote; a
stalled or malformed request neither blocks nor leaks into other providers; and without a
zygote a launcher serves by itself. Most tests drive a real zygote serving `zygote_probe`
(a stand-in whose "schema file" is a command); one runs real Terraform through the harness.
"""

from __future__ import annotations

import array
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from typhoon_tf.testing.fakeprovider import zygote, zygote_client
from typhoon_tf.testing.fork_server import fork_server
from typhoon_tf.testing.harness import verify_module
from typhoon_tf.testing.mirror import Mirror, build_mirror

# Bounds on waiting (never speed checks): a test fails, instead of hanging, past them.
WAIT_SECONDS = 60.0
NOT_SERVED = 97  # what the test launcher exits with when `launch` returned None
TESTS = Path(__file__).parent
ZYGOTE_DIR = str(Path(zygote_client.__file__).parent)


def _wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True  # exited, not yet reaped by its parent
        time.sleep(0.05)
    return False


def _read_line(stream: IO[bytes] | None, what: str) -> str:
    """One line from a pipe, or a test failure after WAIT_SECONDS."""
    assert stream is not None
    ready, _, _ = select.select([stream], [], [], WAIT_SECONDS)
    assert ready, f"no {what} within {WAIT_SECONDS} s"
    return stream.readline().decode()


@dataclass
class Probe:
    pointer: Path
    proc: subprocess.Popen[bytes]

    def launcher(self, command: str, **kwargs: object) -> list[str]:
        program = (
            f"import sys; sys.path[:0] = [{ZYGOTE_DIR!r}]; import zygote_client\n"
            f"status = zygote_client.launch({str(self.pointer)!r}, {command!r})\n"
            f"sys.exit({NOT_SERVED} if status is None else status)\n"
        )
        return [sys.executable, "-S", "-c", program]

    def run(
        self, command: str, *, cwd: Path | None = None, stdin: str = "", env_value: str = ""
    ) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PROBE_VALUE=env_value)
        return subprocess.run(
            self.launcher(command),
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=WAIT_SECONDS,
            check=False,
        )


@pytest.fixture
def probe(tmp_path: Path) -> Iterator[Probe]:
    socket_dir = Path(f"/tmp/tt-zt-{os.getpid()}-{time.monotonic_ns()}")
    socket_dir.mkdir(mode=0o700)
    socket_path = socket_dir / "s"
    program = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = [{str(TESTS)!r}] + {[p for p in sys.path if p]!r}
        from zygote_probe import preload
        from typhoon_tf.testing.fakeprovider.zygote import serve_forever
        serve_forever({str(socket_path)!r}, preload)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert _read_line(proc.stdout, "ready line").strip() == "ready"
    pointer = tmp_path / zygote.POINTER_FILE
    pointer.write_text(str(socket_path))
    try:
        yield Probe(pointer, proc)
    finally:
        proc.terminate()
        killed = proc.wait(timeout=WAIT_SECONDS) == -signal.SIGKILL
        assert proc.stdout is not None
        proc.stdout.close()
    if killed:  # a killed zygote cleans nothing up (its children still die with it)
        shutil.rmtree(socket_dir)
    assert not socket_dir.exists(), "the zygote removes its socket and its directory"


# -- status, context and streams ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "status"),
    [("exit:0", 0), ("exit:7", 7), ("signal:SIGKILL", 128 + 9), ("exit-message:boom", 1)],
)
def test_the_launcher_exits_with_the_childs_status(probe: Probe, command: str, status: int) -> None:
    done = probe.run(command)
    assert done.returncode == status, done.stderr
    if command.startswith("exit-message"):
        assert "boom" in done.stderr  # as Python prints sys.exit("boom")


def test_the_child_takes_over_cwd_environment_argv_and_streams(
    probe: Probe, tmp_path: Path
) -> None:
    done = probe.run("report", cwd=tmp_path, stdin="hello\n", env_value="from the launcher")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ppid"] == probe.proc.pid  # forked by the zygote ...
    assert report["cwd"] == str(tmp_path)  # ... yet in the launcher's directory,
    assert report["env"] == "from the launcher"  # with its environment,
    assert report["argv"] == ["-c"]  # its argv,
    assert report["stdin"] == "hello"  # and its standard streams
    assert done.stderr == "to stderr\n"


def test_without_a_zygote_the_launcher_serves_by_itself(probe: Probe, tmp_path: Path) -> None:
    missing = Probe(tmp_path / "absent" / zygote.POINTER_FILE, probe.proc)
    assert missing.run("exit:0").returncode == NOT_SERVED
    stale = tmp_path / "stale"
    stale.write_text(str(tmp_path / "no-such-socket"))
    assert Probe(stale, probe.proc).run("exit:0").returncode == NOT_SERVED


# -- nothing outlives what it belongs to ---------------------------------------------------------


def _serving(probe: Probe) -> tuple[subprocess.Popen[bytes], int]:
    launcher = subprocess.Popen(
        probe.launcher("serve"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    line = _read_line(launcher.stdout, "child's first line")
    assert line.startswith("serving "), line
    return launcher, int(line.split()[1])


def test_killing_the_launcher_kills_the_child(probe: Probe) -> None:
    launcher, child = _serving(probe)
    launcher.send_signal(signal.SIGKILL)  # what go-plugin does when a provider hangs
    launcher.wait(timeout=WAIT_SECONDS)
    assert _wait_gone(child)
    assert launcher.stdout is not None
    launcher.stdout.close()


def test_stopping_the_zygote_stops_its_children_and_their_launchers(probe: Probe) -> None:
    launcher, child = _serving(probe)
    probe.proc.terminate()
    assert launcher.wait(timeout=WAIT_SECONDS) == 1  # served, then lost
    assert _wait_gone(child)
    assert launcher.stdout is not None
    launcher.stdout.close()


def test_a_child_dies_with_a_killed_zygote(probe: Probe) -> None:
    launcher, child = _serving(probe)
    probe.proc.kill()  # no clean-up runs in the zygote
    assert _wait_gone(child)  # PR_SET_PDEATHSIG
    assert launcher.wait(timeout=WAIT_SECONDS) == 1
    assert launcher.stdout is not None
    launcher.stdout.close()


def test_the_zygote_ends_with_the_run_that_started_it(tmp_path: Path) -> None:
    program = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:] = {sys.path!r}
        from pathlib import Path
        from typhoon_tf.testing.fork_server import fork_server
        from typhoon_tf.testing.mirror import build_mirror
        mirror = build_mirror(Path({str(tmp_path / "mirror")!r}), {{"hashicorp/external": ""}})
        with fork_server(mirror) as pid:
            print(pid, flush=True)
            os._exit(0)  # killed: no clean-up runs
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        timeout=WAIT_SECONDS,
    ).stdout
    assert _wait_gone(int(out.strip()))


# -- bad requests ------------------------------------------------------------------------


def _raw_connection(probe: Probe) -> socket.socket:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(probe.pointer.read_text())
    return conn


def test_a_stalled_request_does_not_stall_the_others(probe: Probe) -> None:
    with _raw_connection(probe):  # connects, sends nothing
        assert probe.run("exit:3").returncode == 3


def test_a_malformed_request_keeps_none_of_its_descriptors(probe: Probe) -> None:
    read_end, write_end = os.pipe()
    with _raw_connection(probe) as conn:
        fds = array.array("i", [write_end] * 3)
        header = struct.pack("!i", 100)  # a body of 100 bytes is announced, 2 are sent
        conn.sendmsg([header + b"{}"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
    os.close(write_end)
    assert probe.run("exit:0").returncode == 0  # served after the malformed one
    ready, _, _ = select.select([read_end], [], [], WAIT_SECONDS)
    assert ready and os.read(read_end, 1) == b"", "a process still holds the pipe's write end"
    os.close(read_end)


# -- with real Terraform, through the harness ---------------------------------------------------

MODULE = """terraform {
  required_providers {
    external = {
      source  = "hashicorp/external"
      version = "~> 2.3"
    }
  }
}

# The program runs in the provider process's working directory, with its environment.
data "external" "context" {
  program = ["sh", "context.sh"]
}

output "context" {
  value = data.external.context.result
}
"""

# The program's parent is the provider; the provider's parent is the zygote.
CONTEXT_SH = """provider_parent=$(cut -d' ' -f4 /proc/$PPID/stat)
printf '{"cwd":"%s","config":"%s","provider_parent":"%s"}' "$PWD" "$TF_CLI_CONFIG_FILE" \\
  "$provider_parent"
"""


def test_terraforms_providers_are_forked_with_terraforms_cwd_and_environment(
    tmp_path: Path,
) -> None:
    (tmp_path / "module").mkdir()
    (tmp_path / "module" / "main.tf").write_text(MODULE)
    (tmp_path / "module" / "context.sh").write_text(CONTEXT_SH)
    result = verify_module(tmp_path / "module", workdir=tmp_path / "work", check_fmt=False)
    context = result.output("context")
    assert context["provider_parent"] == str(result.zygote_pid)
    assert context["cwd"] == str(result.module_path)
    assert context["config"] == str(tmp_path / "work" / "terraformrc")


def test_preload_starts_no_thread_before_forking() -> None:
    probe = (
        "import os, threading\n"
        "from typhoon_tf.testing.fakeprovider.main import preload\n"
        "preload()\n"
        "print(threading.active_count(), len(os.listdir('/proc/self/task')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=WAIT_SECONDS,
    )
    assert out.stdout.split() == ["1", "1"]


@pytest.fixture
def external_mirror(tmp_path: Path) -> Mirror:
    mirror = build_mirror(tmp_path / "mirror", {"hashicorp/external": "~> 2.3"})
    assert mirror.choice("external").kind == "fake"
    return mirror


def test_the_block_removes_pointer_socket_and_zygote(external_mirror: Mirror) -> None:
    with fork_server(external_mirror) as pid:
        assert pid is not None
        pointer = external_mirror.root / zygote.POINTER_FILE
        socket_path = Path(pointer.read_text())
        assert socket_path.is_socket()
    assert not pointer.exists()
    assert not socket_path.parent.exists()
    assert _wait_gone(pid)
