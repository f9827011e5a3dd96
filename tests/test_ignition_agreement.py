"""Our validator agrees with Debian's ignition-validate (spec 3.0.0-3.3.0) on validity.

Two layers: the hand-made corpus in tests/data/ignition/cases.py carries the verdicts
the real validator gave; they are checked against our validator always, and against
the real validator whenever it is installed. A seeded mutation run then throws a few
hundred broken variants of a realistic config at both.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from typhoon_tf.ignition.specrules import ORACLE_RELEASE
from typhoon_tf.ignition.validate import validate

DATA = Path(__file__).parent / "data" / "ignition"
ORACLE = shutil.which("ignition-validate")
needs_oracle = pytest.mark.skipif(
    ORACLE is None, reason="ignition-validate not installed (apt-get install -y ignition)"
)


def load_cases() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ignition_cases", DATA / "cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = load_cases().oracle_cases()


def oracle_accepts(config: Any, tmp_path: Path) -> tuple[bool, str]:
    assert ORACLE is not None
    path = tmp_path / "config.ign"
    path.write_text(json.dumps(config))
    proc = subprocess.run([ORACLE, str(path)], capture_output=True, text=True, timeout=30)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def test_corpus_is_large_and_mixed() -> None:
    verdicts = [ok for _, _, ok in CASES]
    assert len(CASES) > 500
    assert verdicts.count(True) > 100 and verdicts.count(False) > 100


@pytest.mark.parametrize(("name", "config", "valid"), CASES, ids=[c[0] for c in CASES])
def test_recorded_verdict(name: str, config: Any, valid: bool) -> None:
    problems = validate(config, release=ORACLE_RELEASE)
    assert (not problems) == valid, f"{name}: ours={[str(p) for p in problems]}"


@needs_oracle
def test_recorded_verdicts_match_oracle(tmp_path: Path) -> None:
    wrong = []
    for name, config, valid in CASES:
        accepted, output = oracle_accepts(config, tmp_path)
        if accepted != valid:
            wrong.append(f"{name}: oracle={accepted} recorded={valid} {output}")
    assert not wrong, "\n".join(wrong)


BASE: dict[str, Any] = {
    "ignition": {
        "config": {"merge": [{"source": "data:,x"}]},
        "proxy": {"httpProxy": "http://proxy:3128"},
    },
    "storage": {
        "files": [
            {
                "path": "/etc/a",
                "mode": 420,
                "overwrite": True,
                "contents": {
                    "source": "data:;base64,aGk=",
                    "compression": "",
                    "verification": {"hash": "sha512-" + "a" * 128},
                },
                "user": {"name": "core"},
            },
            {
                "path": "/opt/b",
                "append": [{"source": "https://x/y", "httpHeaders": [{"name": "A", "value": "b"}]}],
            },
        ],
        "directories": [{"path": "/var/lib/x", "mode": 448}],
        "links": [{"path": "/etc/l", "target": "/usr/x", "hard": False}],
        "filesystems": [{"device": "/dev/sdb", "format": "xfs", "path": "/var", "label": "v"}],
        "disks": [{"device": "/dev/sdb", "partitions": [{"number": 1, "label": "p"}]}],
        "luks": [{"name": "l", "device": "/dev/sdc", "clevis": {"tpm2": True}}],
        "raid": [{"name": "md", "level": "raid1", "devices": ["/dev/a", "/dev/b"]}],
    },
    "systemd": {
        "units": [
            {
                "name": "a.service",
                "enabled": True,
                "contents": "[Service]\nExecStart=/bin/true\n"
                "[Install]\nWantedBy=multi-user.target\n",
                "dropins": [{"name": "1.conf", "contents": "[Service]\nA=1\n"}],
            }
        ]
    },
    "passwd": {
        "users": [{"name": "core", "sshAuthorizedKeys": ["k1", "k2"], "groups": ["wheel"]}],
        "groups": [{"name": "g", "gid": 5}],
    },
    "kernelArguments": {"shouldExist": ["a"], "shouldNotExist": ["b"]},
}
VALUES: list[Any] = [
    None, "", "x", "/abs", "rel/p", "/a/../b", "data:,a b", "data:,ok", "https://h/p",
    "s3://b/k", "gs://b/o", "ftp://x", 0, -1, 420, 4096, 1.5, True, False, [], {}, ["x"],
    ["x", "x"], [{}], {"name": "a"}, "sha512-abc", "gzip", "bogus", "raid5", "ext4", "none",
    "a.service", "a.conf", "[Unit]\nA", "[Unit]\nA=1", "sha256-" + "0" * 64,
    "swap", "mirror", "stripe", "L" * 16, "L" * 20,
]  # fmt: skip


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, path + (i,))


def mutate(config: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    config = copy.deepcopy(config)
    for _ in range(rng.randint(1, 2)):
        candidates = [p for p in _paths(config) if len(p) > 1 and p != ("ignition", "version")]
        path = rng.choice(candidates)
        parent: Any = config  # a dict or a list, by the path
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(path[-1], int) and rng.random() < 0.15:
            parent.append(copy.deepcopy(parent[path[-1]]))  # a duplicate entry
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(VALUES))
    return config


@needs_oracle
@pytest.mark.parametrize(("version", "count"), [("3.0.0", 60), ("3.2.0", 60), ("3.3.0", 180)])
def test_mutations_agree_with_oracle(version: str, count: int, tmp_path: Path) -> None:
    rng = random.Random(f"typhoon-tf-{version}")
    base = copy.deepcopy(BASE)
    base["ignition"]["version"] = version
    assert not validate(base)
    disagreements = []
    for _ in range(count):
        config = mutate(base, rng)
        accepted, output = oracle_accepts(config, tmp_path)
        ours = validate(config, release=ORACLE_RELEASE)
        if accepted != (not ours):
            disagreements.append(f"{json.dumps(config)}\n  oracle: {output}\n  ours: {ours}")
    assert not disagreements, "\n".join(disagreements[:5])
