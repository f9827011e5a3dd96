"""Benchmark: module generation and CLI cold start (not a test; prints figures).

    .venv/bin/python benchmarks/bench_generate.py [--runs N]

* in-process: the AWS module trees (bootstrap + cluster + workers) for both OSes;
* cold start: `typhoon-tf --help` as a fresh process, median of N runs.
Targets (issue 5): < 0.5 s per generation of both trees, <= 150 ms median cold start.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def bench_generation(runs: int) -> tuple[float, float, int]:
    from typhoon_tf.generate.modules_tree import modules_for
    from typhoon_tf.generate.platform_module import ModuleRequest

    def once() -> int:
        size = 0
        for os_name in ("fedora-coreos", "flatcar-linux"):
            tree = modules_for(ModuleRequest(platform="aws", os=os_name))
            size += sum(len(t) for t in tree.values())
        return size

    started = time.perf_counter()
    size = once()  # first run: imports, template parsing, caches
    first = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times), size


def bench_cold_start(runs: int) -> float:
    exe = Path(sys.executable).parent / "typhoon-tf"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(exe), "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    first, median, size = bench_generation(max(3, args.runs // 4))
    print(
        f"generate AWS trees, both OSes: first {first * 1000:.0f} ms (cold, in-process), "
        f"then median {median * 1000:.0f} ms; {size} bytes"
    )
    print(
        f"typhoon-tf --help cold start: median {bench_cold_start(args.runs) * 1000:.0f} ms "
        f"over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
