"""Benchmark the Butane transpiler (not a test; prints figures).

    .venv/bin/python benchmarks/bench_butane.py [--seconds 3] [--runs 20]

1. In-process throughput: a ~10 KB node-style config (controller-like: etcd/kubelet
   units, TLS material, sysctls, kubeconfig) translated with strict=True. Target ≥ 500/s.
2. Cold start, whole process, fresh processes run interleaved (a load change hits every
   command alike): `typhoon-tf butane --strict` on that config, `typhoon-tf external butane`
   with one snippet (what every `terraform plan` with snippets pays), real Butane's
   `butane --strict` side by side when a `butane` binary is on PATH, and `python -c pass`
   (the interpreter's own share), and `python -S` importing only PyYAML (the floor of any
   Python + PyYAML transpiler). Target: ≤ 3× Butane (issue 14; Butane v0.23: ~27 ms on the
   issue's machine; v0.25.1 built from source here: ~15 ms).

CPU time is reported next to wall-clock time because shared machines are noisy. Byte-code
is written (PYTHONDONTWRITEBYTECODE unset): a stale cache would time the compiler instead.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from typhoon_tf.butane import serialize, translate  # noqa: E402

_UNIT = """[Unit]
Description={name} (podman)
Wants=network-online.target
After=network-online.target
[Service]
Environment={env}_IMAGE=registry.example.net/{name}:v1.31.2
ExecStartPre=/bin/mkdir -p /var/lib/{name}
ExecStartPre=-/usr/bin/podman rm -f {name}
ExecStart=/usr/bin/podman run --name {name} --network host --privileged \\
  --volume /etc/kubernetes:/etc/kubernetes:ro,z \\
  --volume /var/lib/{name}:/var/lib/{name}:rshared,z \\
  ${{{env}_IMAGE}} --config=/etc/kubernetes/{name}.yaml
ExecStop=-/usr/bin/podman stop {name}
Restart=always
RestartSec=10
[Install]
WantedBy=multi-user.target
"""


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line + "\n" for line in text.splitlines())


def node_config() -> str:
    """A deterministic controller-style Butane config of roughly 10 KB."""
    parts = ["variant: fcos", "version: 1.5.0", "systemd:", "  units:"]
    for name in ("etcd-member", "kubelet", "bootstrap", "node-exporter", "wait-for-dns"):
        parts.append(f"    - name: {name}.service")
        parts.append("      enabled: true")
        parts.append("      contents: |")
        parts.append(_indent(_UNIT.format(name=name, env=name.upper().replace("-", "_")), 8))
    parts += [
        "    - name: docker.service",
        "      mask: true",
        "storage:",
        "  directories:",
        "    - path: /var/lib/etcd",
        "      mode: 0700",
        "  files:",
    ]
    cert = "\n".join(
        ["-----BEGIN CERTIFICATE-----"]
        + [
            f"MIIC{i:04d}" + "QWERTYUIOPASDFGHJKLZXCVBNMqwertyuiopasdfghjklzxcvbnm0123"
            for i in range(14)
        ]
        + ["-----END CERTIFICATE-----"]
    )
    for i in range(4):
        parts += [
            f"    - path: /etc/ssl/etcd/cert-{i}.crt",
            "      mode: 0644",
            "      contents:",
            "        inline: |",
            _indent(cert, 10),
        ]
    for i in range(6):
        parts += [
            f"    - path: /etc/sysctl.d/{i:02d}-tuning.conf",
            "      contents:",
            f"        inline: net.core.somaxconn = {1024 * (i + 1)}",
        ]
    kubelet = "\n".join(
        [
            "apiVersion: kubelet.config.k8s.io/v1beta1",
            "kind: KubeletConfiguration",
            "authentication:",
            "  anonymous:",
            "    enabled: false",
            "cgroupDriver: systemd",
            "clusterDNS:",
            "  - 10.3.0.10",
            "clusterDomain: cluster.local",
            "staticPodPath: /etc/kubernetes/manifests",
            "tlsCertFile: /etc/kubernetes/pki/kubelet.crt",
        ]
    )
    parts += [
        "    - path: /etc/kubernetes/kubelet.yaml",
        "      contents:",
        "        inline: |",
        _indent(kubelet, 10),
        "    - path: /etc/hostname",
        "      mode: 0644",
        "      contents:",
        "        inline: controller-0",
        "passwd:",
        "  users:",
        "    - name: core",
        "      ssh_authorized_keys:",
        "        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchmarkKeyBenchmarkKey bench@example",
    ]
    return "\n".join(parts) + "\n"


def throughput(text: str, seconds: float) -> tuple[float, float]:
    """(configs per wall-clock second, configs per CPU second of this process)."""
    translate(text, strict=True)  # warm-up (imports, caches)
    count = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        serialize(translate(text, strict=True))
        count += 1
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return count / wall, count / cpu


Command = tuple[list[str], bytes | None]  # argv, stdin


def commands(path: Path) -> dict[str, Command]:
    """The processes to time, by label; Butane only when it is installed."""
    binary = Path(sys.executable).parent / "typhoon-tf"
    cli = [str(binary)] if binary.exists() else [sys.executable, "-m", "typhoon_tf"]
    query = json.dumps(
        {"snippets": json.dumps([path.read_text()]), "variant": "fcos", "ignition_version": "3.4.0"}
    ).encode()
    import yaml

    yaml_home = str(Path(yaml.__file__).resolve().parent.parent)
    floor = f"import sys; sys.path.append({yaml_home!r}); import yaml"
    found: dict[str, Command] = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        # The floor of any Python + PyYAML transpiler: no site.py, no code of ours.
        "python -S, yaml only": ([sys.executable, "-S", "-c", floor], None),
        "typhoon-tf butane": ([*cli, "butane", "--strict", str(path)], None),
        "typhoon-tf external": ([*cli, "external", "butane"], query),
    }
    butane = shutil.which("butane")
    if butane:
        found["butane (Go)"] = ([butane, "--strict", str(path)], None)
    return found


def _run_once(command: Command, env: dict[str, str]) -> tuple[float, float]:
    argv, stdin = command
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, input=stdin, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def cold_start(text: str, runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """Wall-clock and CPU (user+sys) seconds of each fresh process, by command label."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "node.bu"
        path.write_text(text)
        todo = commands(path)
        samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in todo}
        for command in todo.values():
            _run_once(command, env)  # warm-up: byte-code caches, page cache
        for _ in range(runs):
            for label, command in todo.items():
                wall, cpu = _run_once(command, env)
                samples[label][0].append(wall)
                samples[label][1].append(cpu)
    return samples


def report_cold_start(samples: dict[str, tuple[list[float], list[float]]], runs: int) -> None:
    print(f"cold start, median over {runs} interleaved runs:")
    butane = samples.get("butane (Go)")
    for label, (walls, cpus) in samples.items():
        wall = statistics.median(walls) * 1000
        line = f"  {label:20} {wall:6.1f} ms wall  {statistics.median(cpus) * 1000:6.1f} ms CPU"
        if butane and label.startswith("typhoon-tf"):
            ratio = statistics.median(walls) / statistics.median(butane[0])
            line += f"  {ratio:.1f}x Butane (target <= 3x)"
        print(line)
    if butane is None:
        print("  (no `butane` binary on PATH: install Butane to see it side by side)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    text = node_config()
    rate, cpu_rate = throughput(text, args.seconds)
    print(f"config size: {len(text.encode())} bytes")
    print(
        f"in-process throughput: {rate:.0f} configs/s wall-clock, "
        f"{cpu_rate:.0f} configs/CPU-second (target >= 500)"
    )
    report_cold_start(cold_start(text, args.runs), args.runs)
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
