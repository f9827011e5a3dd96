"""Start-up cost: `typhoon-tf butane` and the `external butane` program (run at every
`terraform plan` with snippets) import only what they use. Module lists, not wall-clock
times (figures: benchmarks/bench_butane.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNIPPET = "variant: fcos\nversion: 1.4.0\nstorage:\n  files:\n    - path: /etc/x\n"
# What neither path needs: the config schema and its validator, templates, the HCL parser,
# the library facade, the driver, Butane sugar a config does not use, and stdlib modules
# that only error paths or help output need.
NEVER = (
    "jsonschema",
    "jinja2",
    "hcl2",
    "lark",
    "typhoon_tf.api",
    "typhoon_tf.config.load",
    "typhoon_tf.config.schema",
    "typhoon_tf.platforms",
    "typhoon_tf.driver",
    "typhoon_tf.butane.bootdevice",
    "typhoon_tf.butane.trees",
    "typhoon_tf.butane.mountunits",
    "traceback",
    "shutil",
    "dataclasses",
)
PROBE = """
import io, json, sys
argv, stdin = json.loads(sys.argv[1]), sys.argv[2]
sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
from typhoon_tf.cli import main
real = sys.stdout
sys.stdout = open(__import__("os").devnull, "w")
rc = main(argv)
sys.stdout = real
print(json.dumps({"rc": rc, "modules": sorted(sys.modules)}))
"""


def _modules(argv: list[str], stdin: str = "") -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), stdin],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["rc"] == 0
    modules: list[str] = result["modules"]
    return modules


def _loaded(modules: list[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("name", NEVER)
def test_the_butane_command_does_not_import(tmp_path: Path, name: str) -> None:
    path = tmp_path / "node.bu"
    path.write_text(SNIPPET)
    assert not _loaded(_modules(["butane", "--strict", str(path)]), name)


@pytest.mark.parametrize("name", NEVER)
def test_the_external_program_does_not_import(name: str) -> None:
    query = {"snippets": json.dumps([SNIPPET]), "variant": "fcos", "ignition_version": "3.3.0"}
    assert not _loaded(_modules(["external", "butane"], json.dumps(query)), name)


def test_butane_sugar_still_works_when_used(tmp_path: Path) -> None:
    path = tmp_path / "boot.bu"
    mirror = "boot_device:\n  mirror:\n    devices: [/dev/sda, /dev/sdb]\n"
    path.write_text(f"variant: fcos\nversion: 1.4.0\n{mirror}")
    modules = _modules(["butane", "--strict", str(path)])
    assert _loaded(modules, "typhoon_tf.butane.bootdevice")
