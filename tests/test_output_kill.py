"""SIGKILL `typhoon-tf generate` at random points: the output is never a mix (issue 12).

Each iteration starts `python -m typhoon_tf generate`, kills it with SIGKILL after a random
delay and compares the output directory with reference trees: it must be exactly the
complete old tree or the complete new one, with the user's files (state, `.terraform/`,
their own file inside `modules/`) unchanged. Half the kills are spread over the whole run,
half land in the write phase (timed from the moment a staging directory appears, which
the test watches for; production code has no test hook). Whatever a kill leaves behind
(staging trees) is gone after the next successful run.

The only other acceptable state is "inside the switch" (a few renames, microseconds
long): the journal is present and the next run finishes the switch; it is counted
separately and checked to be completed by the next run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "typhoon_tf", "generate"]
KILLS_NEW = 20  # processes actually killed, not just started
KILLS_EXISTING = 24
NEW_STATES = ("runs", "kills", "absent", "complete", "mixed", "left", "cleaned")
EXISTING_STATES = ("runs", "kills", "old", "new", "in-switch", "mixed", "left", "cleaned")
HANG_GUARD = 120.0  # seconds; a single generate takes about one
USER_FILES = {
    "terraform.tfstate": b'{"version": 4}\n',
    ".terraform/modules/modules.json": b"{}\n",
    "notes.txt": b"the user's\n",
    "modules/mine.tf": b"# the user's own module file\n",
}
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh me@x"
B_CONFIG = f"""platform: aws
os: flatcar-linux
coordinated_updates: true
cluster:
  cluster_name: tempest
  dns_zone: aws.example.com
  dns_zone_id: Z3PAABBCFAKEC0
  ssh_authorized_key: {KEY}
"""
Tree = dict[str, bytes]


def snapshot(root: Path) -> Tree:
    tree: Tree = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            tree[str(path.relative_to(root))] = path.read_bytes()
    return tree


def generated_part(root: Path) -> Tree:
    """The tree without the user's files and without our own staging leftovers."""
    return {
        rel: data
        for rel, data in snapshot(root).items()
        if rel not in USER_FILES and not rel.startswith(".typhoon-tf.staging.")
    }


def leftovers(root: Path) -> list[str]:
    inside = [p.name for p in root.glob(".typhoon-tf.staging.*")] if root.is_dir() else []
    beside = [p.name for p in root.parent.glob(f".{root.name}.*")]
    return inside + beside


def in_switch(root: Path) -> bool:
    return any(root.glob(".typhoon-tf.staging.*/journal.json"))


def generate(args: list[str]) -> float:
    """Run to completion; return how long it took."""
    start = time.monotonic()
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=HANG_GUARD)
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - start


class Killer:
    """Starts generate and kills it at a random point; calibrated on a complete run."""

    def __init__(self, rng: random.Random, staging_seen: Callable[[], bool]) -> None:
        self.rng = rng
        self.staging_seen = staging_seen
        self.total = 1.0
        self.write_window = 0.05

    def calibrate(self, args: list[str]) -> None:
        start = time.monotonic()
        proc = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL)
        seen = self._wait_for_staging(proc)
        assert proc.wait(timeout=HANG_GUARD) == 0
        end = time.monotonic()
        self.total = end - start
        self.write_window = max(end - (seen or start), 0.01)

    def run(self, args: list[str], targeted: bool) -> bool:
        """True when the process was killed before it finished."""
        proc = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if targeted:
            self._wait_for_staging(proc)
            time.sleep(self.rng.uniform(0, self.write_window))
        else:
            time.sleep(self.rng.uniform(0, self.total * 0.95))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        return proc.wait(timeout=HANG_GUARD) == -signal.SIGKILL

    def _wait_for_staging(self, proc: subprocess.Popen[bytes]) -> float | None:
        deadline = time.monotonic() + HANG_GUARD
        while proc.poll() is None and time.monotonic() < deadline:
            if self.staging_seen():
                return time.monotonic()
            time.sleep(0.0002)
        return None


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("kill-references")
    config = base / "b.yaml"
    config.write_text(B_CONFIG)
    args = {"A": ["aws", "--os", "fedora-coreos"], "B": ["-c", str(config)]}
    trees = {}
    for name, extra in args.items():
        generate([*extra, "-o", str(base / name)])
        trees[name] = generated_part(base / name)
    assert trees["A"] != trees["B"]
    assert any(k.startswith("addons/") for k in trees["B"]), "B adds a directory, A drops it"
    return {"args": args, "trees": trees}


def report(label: str, counts: dict[str, int]) -> None:
    print(f"\n{label}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def test_kills_while_creating_a_new_directory(
    tmp_path: Path, references: dict[str, object]
) -> None:
    args: dict[str, list[str]] = references["args"]  # type: ignore[assignment]
    trees: dict[str, Tree] = references["trees"]  # type: ignore[assignment]
    out = tmp_path / "cluster"
    killer = Killer(random.Random(), lambda: bool(list(tmp_path.glob(".cluster.staging.*"))))
    killer.calibrate([*args["A"], "-o", str(out)])
    shutil.rmtree(out)
    counts = dict.fromkeys(NEW_STATES, 0)
    for i in range(3 * KILLS_NEW):
        if counts["kills"] == KILLS_NEW:
            break
        counts["runs"] += 1
        counts["kills"] += killer.run([*args["A"], "-o", str(out)], targeted=i % 2 == 0)
        if not out.exists():
            counts["absent"] += 1
        elif generated_part(out) == trees["A"] and not leftovers(out):
            counts["complete"] += 1
        else:
            counts["mixed"] += 1
        if leftovers(out):
            counts["left"] += 1
            generate([*args["A"], "-o", str(out)])
            assert generated_part(out) == trees["A"]
            assert leftovers(out) == [], "the next run removes what the killed one left"
            counts["cleaned"] += 1
        shutil.rmtree(out, ignore_errors=True)
    report("new directory", counts)
    assert counts["mixed"] == 0
    assert counts["kills"] == KILLS_NEW


def test_kills_while_regenerating_an_existing_directory(
    tmp_path: Path, references: dict[str, object]
) -> None:
    args: dict[str, list[str]] = references["args"]  # type: ignore[assignment]
    trees: dict[str, Tree] = references["trees"]  # type: ignore[assignment]
    out = tmp_path / "cluster"
    generate([*args["A"], "-o", str(out)])
    for rel, data in USER_FILES.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    killer = Killer(random.Random(), lambda: bool(list(out.glob(".typhoon-tf.staging.*"))))
    killer.calibrate([*args["B"], "-o", str(out)])
    current = "B"
    counts = dict.fromkeys(EXISTING_STATES, 0)
    for i in range(3 * KILLS_EXISTING):
        if counts["kills"] == KILLS_EXISTING:
            break
        counts["runs"] += 1
        wanted = "A" if current == "B" else "B"
        counts["kills"] += killer.run([*args[wanted], "-o", str(out)], targeted=i % 2 == 0)
        state = generated_part(out)
        for rel, data in USER_FILES.items():
            assert (out / rel).read_bytes() == data, f"user file {rel} changed"
        if state == trees[current]:
            counts["old"] += 1
        elif state == trees[wanted]:
            counts["new"] += 1
            current = wanted
        elif in_switch(out):
            counts["in-switch"] += 1
            current = wanted  # the next run finishes this switch first
        else:
            counts["mixed"] += 1
        if leftovers(out):
            counts["left"] += 1
            target = "A" if current == "B" else "B"
            generate([*args[target], "-o", str(out)])
            assert generated_part(out) == trees[target]
            assert leftovers(out) == [], "the next run removes what the killed one left"
            current = target
            counts["cleaned"] += 1
    report("existing directory", counts)
    assert counts["mixed"] == 0
    assert counts["kills"] == KILLS_EXISTING
