"""Figures, not tests: how long `typhoon-tf --help` takes as a new process (cold start).

    .venv/bin/python benchmarks/bench_cli.py [RUNS]

Prints the best, median and worst wall time over RUNS (default 15) and the same for a bare
`python -c pass`, so the CLI's own share is visible on a busy machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        argv,
        capture_output=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return time.perf_counter() - started


def report(label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    median = statistics.median(ms)
    print(f"{label:20} best {ms[0]:6.1f} ms  median {median:6.1f} ms  worst {ms[-1]:6.1f} ms")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    report("python -c pass", [timed([sys.executable, "-c", "pass"]) for _ in range(runs)])
    help_argv = [sys.executable, "-m", "typhoon_tf", "--help"]
    report("typhoon-tf --help", [timed(help_argv) for _ in range(runs)])


if __name__ == "__main__":
    main()
