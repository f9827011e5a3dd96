"""The fakes' fork server: each Terraform start still gets a provider process of its own, with
the launcher's working directory, environment and standard streams; the launcher reports the
provider's exit status; nothing outlives the launcher, or the run that started the zygote;
and without a zygote a launcher serves by itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from typhoon_tf.testing.fakeprovider import zygote
from typhoon_tf.testing.harness import verify_module
from typhoon_tf.testing.mirror import Mirror, build_mirror, fork_server

# A bound on waiting for processes to go (never a speed check: the test only fails if the
# process is still there after it).
GONE_WITHIN_SECONDS = 60.0

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


CONTEXT_SH = """printf '{"cwd":"%s","config":"%s"}' "$PWD" "$TF_CLI_CONFIG_FILE"\n"""


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(child) for child in text.split()}
    return found


def _wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + GONE_WITHIN_SECONDS
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                return True  # exited, not yet reaped by its parent
        except OSError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def external_mirror(tmp_path: Path) -> Mirror:
    mirror = build_mirror(tmp_path / "mirror", {"hashicorp/external": "~> 2.3"})
    assert mirror.choice("external").kind == "fake"
    return mirror


def _launcher(mirror: Mirror) -> Path:
    return next(mirror.root.rglob("terraform-provider-external_*"))


def test_a_served_provider_has_terraforms_cwd_and_environment(tmp_path: Path) -> None:
    (tmp_path / "module").mkdir()
    (tmp_path / "module" / "main.tf").write_text(MODULE)
    (tmp_path / "module" / "context.sh").write_text(CONTEXT_SH)
    result = verify_module(tmp_path / "module", workdir=tmp_path / "work", check_fmt=False)
    assert result.zygote_pid is not None  # served by forks, not by launchers alone
    context = result.output("context")
    assert context["cwd"] == str(result.module_path)
    assert context["config"] == str(tmp_path / "work" / "terraformrc")


def test_launcher_without_a_zygote_serves_by_itself(external_mirror: Mirror) -> None:
    assert not (external_mirror.root / zygote.POINTER_FILE).exists()
    proc = subprocess.Popen(
        [str(_launcher(external_mirror))], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        assert proc.stdout is not None
        handshake = proc.stdout.readline().decode()
        assert handshake.startswith("1|6|unix|"), handshake
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def served(external_mirror: Mirror) -> Iterator[tuple[Mirror, int]]:
    with fork_server(external_mirror) as pid:
        assert pid is not None, "the zygote did not come up"
        yield external_mirror, pid


def test_killing_the_launcher_kills_the_provider(served: tuple[Mirror, int]) -> None:
    mirror, zygote_pid = served
    launcher = subprocess.Popen(
        [str(_launcher(mirror))], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert launcher.stdout is not None
    assert launcher.stdout.readline().startswith(b"1|6|unix|")  # printed by the child
    (provider,) = _children(zygote_pid)
    assert Path(f"/proc/{provider}/cwd").resolve() == Path.cwd().resolve()
    launcher.send_signal(signal.SIGKILL)  # what go-plugin does when a provider hangs
    launcher.wait()
    assert _wait_gone(provider)


def test_the_launcher_exits_with_the_providers_status(
    served: tuple[Mirror, int], tmp_path: Path
) -> None:
    mirror, _ = served
    broken = _launcher(mirror).read_text().replace(".json'", ".missing.json'")
    script = tmp_path / "terraform-provider-broken"
    script.write_text(broken)
    script.chmod(0o755)
    proc = subprocess.run([str(script)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "missing.json" in proc.stderr  # the provider's traceback, on the launcher's stderr


def test_the_zygote_ends_with_the_run_that_started_it(tmp_path: Path) -> None:
    program = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:] = {sys.path!r}
        from pathlib import Path
        from typhoon_tf.testing.mirror import build_mirror, fork_server
        mirror = build_mirror(Path({str(tmp_path / "mirror")!r}), {{"hashicorp/external": ""}})
        with fork_server(mirror) as pid:
            print(pid, flush=True)
            os._exit(0)  # killed: no clean-up runs
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout
    assert _wait_gone(int(out.strip()))


def test_preload_starts_no_thread_before_forking() -> None:
    probe = (
        "import os, threading\n"
        "from typhoon_tf.testing.fakeprovider.main import preload\n"
        "preload()\n"
        "print(threading.active_count(), len(os.listdir('/proc/self/task')))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1"]


def test_pointer_is_removed_when_the_block_ends(external_mirror: Mirror) -> None:
    with fork_server(external_mirror) as pid:
        assert pid is not None
        pointer = external_mirror.root / zygote.POINTER_FILE
        socket_path = pointer.read_text()
        assert json.dumps(socket_path)  # a plain path
    assert not pointer.exists()
    assert not Path(socket_path).exists()
    assert _wait_gone(pid)
