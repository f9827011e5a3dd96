"""A consumer of the public API type-checks with `mypy --strict` against the package as it
installs: built with setuptools' build_py (so py.typed must ship through package-data) and
found by mypy as an installed (PEP 561) package, which it only reads when py.typed is there.

(mypy cannot follow the editable install's import hook, so the package is built to a temp
directory rather than read through .venv's editable finder.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
CONSUMER = Path(__file__).parent / "data" / "library_consumer.py"
DOC = REPO / "docs" / "library.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package as pip would install it: build_py over a copy of the sources."""
    work = tmp_path_factory.mktemp("build")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(
        REPO / "typhoon_tf", src / "typhoon_tf", ignore=shutil.ignore_patterns("__pycache__")
    )
    lib = work / "lib"
    subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q"]
        + ["build_py", "--build-lib", str(lib)],
        cwd=src,
        check=True,
        capture_output=True,
    )
    return lib


def _mypy(installed: Path, *targets: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    # cwd and config file are neutral: no repository config, no source tree on the path,
    # so `typhoon_tf` resolves only to the installed copy (PYTHONPATH is a package path).
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "/dev/null"]
        + ["--cache-dir", str(cache), "--no-error-summary", *map(str, targets)],
        cwd=cache.parent,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_py_typed_ships(installed: Path) -> None:
    assert (installed / "typhoon_tf" / "py.typed").is_file()
    assert (installed / "typhoon_tf" / "api.py").is_file()


def test_consumer_type_checks_strictly(installed: Path, tmp_path: Path) -> None:
    result = _mypy(installed, CONSUMER, cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_docs_examples_type_check_strictly(installed: Path, tmp_path: Path) -> None:
    """The examples in docs/library.md are what users copy: they must pass mypy --strict."""
    files = []
    for index, code in enumerate(_BLOCK.findall(DOC.read_text())):
        path = tmp_path / f"library_example_{index}.py"
        path.write_text(code)
        files.append(path)
    assert files
    result = _mypy(installed, *files, cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_sees_the_real_types(installed: Path, tmp_path: Path) -> None:
    """Wrong calls fail: the API is typed, not Any (and a typo is not a lazy attribute)."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "import typhoon_tf\n"
        "typhoon_tf.generate_root_module('aws', 42)\n"
        "typhoon_tf.validate_ignition({}, warnings='yes')\n"
        "typhoon_tf.render_nodes\n"
        "platform: typhoon_tf.Platform = 'openstack'\n"
    )
    result = _mypy(installed, wrong, cache=tmp_path / "cache")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any("wrong.py:2:" in ln and "arg-type" in ln for ln in lines), lines
    assert any("wrong.py:3:" in ln and "arg-type" in ln for ln in lines), lines
    assert any("wrong.py:4:" in ln and "attr-defined" in ln for ln in lines), lines
    assert any("wrong.py:5:" in ln and "assignment" in ln for ln in lines), lines


def test_without_py_typed_mypy_refuses_the_package(installed: Path, tmp_path: Path) -> None:
    """What the marker buys: without it mypy treats typhoon_tf as untyped and missing."""
    bare = tmp_path / "bare"
    shutil.copytree(installed, bare)
    (bare / "typhoon_tf" / "py.typed").unlink()
    probe = tmp_path / "probe.py"
    probe.write_text("import typhoon_tf\n")
    result = _mypy(bare, probe, cache=tmp_path / "cache")
    assert "import-not-found" in result.stdout or "import-untyped" in result.stdout, result.stdout
