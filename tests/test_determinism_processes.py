"""Deterministic across processes: every module tree, generated twice, in two interpreters
with different hash seeds, is byte-identical.

Golden files only notice a change and the in-process checks share one hash seed; set and
dict iteration order, `id()`-based names or anything else that varies between runs would
show here. Each process writes `typhoon-tf modules -o DIR` and a `generate` of every
embedded example, per platform × OS.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

from typhoon_tf.platforms import OPERATING_SYSTEMS, available_platforms

REPO = Path(__file__).parent.parent
HASH_SEEDS = ("1", "2727")

# What one process generates: the committed-modules tree and each example root module.
GENERATE_ALL = """
import sys
from pathlib import Path

from typhoon_tf.cli import main

out = Path(sys.argv[1])
platforms, oses = sys.argv[2].split(","), sys.argv[3].split(",")
assert main(["modules", "-o", str(out / "modules")]) == 0
for platform in platforms:
    for os_name in oses:
        target = out / f"{platform}-{os_name}"
        assert main(["generate", platform, "--os", os_name, "-o", str(target)]) == 0
"""


def _generate_in_a_process(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
    args = [",".join(available_platforms()), ",".join(OPERATING_SYSTEMS)]
    proc = subprocess.run(
        [sys.executable, "-c", GENERATE_ALL, str(out), *args],
        cwd=out.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _first_difference(name: str, left: bytes, right: bytes) -> str:
    diff = difflib.unified_diff(
        left.decode(errors="replace").splitlines(),
        right.decode(errors="replace").splitlines(),
        f"seed {HASH_SEEDS[0]}/{name}",
        f"seed {HASH_SEEDS[1]}/{name}",
        lineterm="",
    )
    return "\n".join(list(diff)[:40])


def test_every_tree_is_byte_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    roots = [tmp_path / f"seed-{seed}" for seed in HASH_SEEDS]
    for root, seed in zip(roots, HASH_SEEDS, strict=True):
        root.mkdir()
        _generate_in_a_process(root, seed)
    first, second = (_tree(root) for root in roots)
    expected_roots = {"modules"} | {
        f"{p}-{o}" for p in available_platforms() for o in OPERATING_SYSTEMS
    }
    assert {name.split(os.sep)[0] for name in first} == expected_roots
    assert sorted(first) == sorted(second)
    changed = sorted(name for name in first if first[name] != second[name])
    assert not changed, f"{len(changed)} files differ, e.g.:\n" + _first_difference(
        changed[0], first[changed[0]], second[changed[0]]
    )
