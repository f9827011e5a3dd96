"""Golden files: every node at its default Ignition version with the example values.

Goldens hold the semantic form (data URLs decoded) so a review shows the real file and
unit text. After an intended change, regenerate them with:

    .venv/bin/python tests/test_nodes_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_nodes_helpers import config_of, node_id, node_matrix, normalize  # noqa: E402

GOLDEN_DIR = Path(__file__).parent / "data" / "nodes" / "golden"
NODES = list(node_matrix())


def golden_text(platform: str, os_name: str, role: str) -> str:
    return (
        json.dumps(normalize(config_of(platform, os_name, role)), indent=2, ensure_ascii=False)
        + "\n"
    )


def golden_path(platform: str, os_name: str, role: str) -> Path:
    return GOLDEN_DIR / f"{node_id(platform, os_name, role)}.json"


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_matches_golden(platform: str, os_name: str, role: str) -> None:
    path = golden_path(platform, os_name, role)
    assert path.exists(), f"missing {path}; run: .venv/bin/python tests/test_nodes_golden.py"
    assert golden_text(platform, os_name, role) == path.read_text(), (
        f"{path.name} differs; if intended, run: .venv/bin/python tests/test_nodes_golden.py"
    )


def regenerate() -> None:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for platform, os_name, role in NODES:
        golden_path(platform, os_name, role).write_text(golden_text(platform, os_name, role))
        print(golden_path(platform, os_name, role))


if __name__ == "__main__":
    regenerate()
