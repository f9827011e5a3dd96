"""Benchmark: worker pools at scale (not a test; prints figures).

    .venv/bin/python benchmarks/bench_pools.py [--pools 1,10,100] [--runs 3] [--no-plan]

* generate: `typhoon-tf generate aws -c cluster.yaml -o DIR` as a fresh process (the whole
  process: interpreter start, config validation, rendering, the atomic write), median of
  --runs, for a cluster with N pools;
* plan: `terraform plan` of that generated root over the fake providers (the offline
  harness: init and validate first, timed apart), one run per N.
Growth is reported per pool between consecutive sizes: linear growth keeps it flat.
Target (issue 16): generate with 100 pools under 2 s on this machine kind.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh me@x"


def cluster_yaml(pools: int) -> str:
    """An AWS cluster with `pools` pools, every third one an arm64, spot or labelled pool."""
    kinds = [
        {"arch": "arm64", "instance_type": "t4g.medium"},
        {"spot_price": 0.05, "node_taints": ["spot=true:NoSchedule"]},
        {"worker_count": 2},
    ]
    doc = {
        "platform": "aws",
        "os": "fedora-coreos",
        "provider": {"region": "us-east-1"},
        "cluster": {
            "cluster_name": "tempest",
            "dns_zone": "aws.example.com",
            "dns_zone_id": "Z3PAABBCFAKEC0",
            "ssh_authorized_key": KEY,
        },
        "worker_pools": [
            {"name": f"p{i}", "node_labels": [f"pool=p{i}"], **kinds[i % 3]} for i in range(pools)
        ],
    }
    return yaml.safe_dump(doc, sort_keys=False)


def generate(config: Path, out: Path) -> float:
    exe = Path(sys.executable).parent / "typhoon-tf"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [str(exe), "generate", "aws", "-c", str(config), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def bench_generate(sizes: list[int], runs: int, work: Path) -> dict[int, float]:
    figures = {}
    for n in sizes:
        config = work / f"pools-{n}.yaml"
        config.write_text(cluster_yaml(n))
        generate(config, work / f"out-{n}")  # warm the page cache and .pyc files
        figures[n] = statistics.median(generate(config, work / f"out-{n}") for _ in range(runs))
    return figures


def bench_plan(sizes: list[int], work: Path) -> dict[int, dict[str, float]]:
    from typhoon_tf.testing.harness import verify_module

    figures = {}
    for n in sizes:
        result = verify_module(work / f"out-{n}", workdir=work / f"plan-{n}", apply=False)
        resources = len(result.plan.get("resource_changes", []))
        figures[n] = {**result.timings, "resources": float(resources)}
    return figures


def growth(figures: dict[int, float]) -> str:
    """Cost per added pool between consecutive sizes (flat = linear)."""
    sizes = sorted(figures)
    steps = [
        f"{a}→{b}: {(figures[b] - figures[a]) / (b - a) * 1000:.1f} ms/pool"
        for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    return ", ".join(steps)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pools", default="1,10,100")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-plan", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.pools.split(","))
    work = Path(tempfile.mkdtemp(prefix="bench-pools-"))
    try:
        gen = bench_generate(sizes, args.runs, work)
        for n in sizes:
            print(f"generate, {n:>3} pools (whole process, median of {args.runs}): {gen[n]:.2f} s")
        print(f"  growth: {growth(gen)}")
        if args.no_plan:
            return
        plans = bench_plan(sizes, work)
        for n in sizes:
            t = plans[n]
            print(
                f"terraform plan, {n:>3} pools ({t['resources']:.0f} resources): "
                f"plan {t['plan']:.1f} s (init {t['init']:.1f} s, validate {t['validate']:.1f} s)"
            )
        print(f"  plan growth: {growth({n: plans[n]['plan'] for n in sizes})}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
