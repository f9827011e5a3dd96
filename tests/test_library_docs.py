"""Every ```python block of docs/library.md runs, each in a fresh directory, offline.

A block that truly needs a cloud may start with `# doc-test: skip`: it is then only
compiled (so it cannot rot into invalid Python), never run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from typhoon_tf.testing.terraform_bin import module_terraforms, terraform_env

DOC = Path(__file__).parent.parent / "docs" / "library.md"
SKIP_MARK = "# doc-test: skip"
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[str]:
    return [m.group(1) for m in _BLOCK.finditer(text)]


BLOCKS = python_blocks(DOC.read_text())


def _title(index: int, code: str) -> str:
    """The heading above a block, for readable test ids."""
    text = DOC.read_text()
    before = text[: text.index(code)]
    headings = re.findall(r"^## (.+)$", before, re.MULTILINE)
    slug = re.sub(r"[^a-z0-9]+", "-", headings[-1].lower()).strip("-") if headings else "top"
    return f"{index}-{slug}"


def _uses_terraform(code: str) -> bool:
    return "tt.terraform_" in code


def _environment(tmp_path: Path, code: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    cli_config = tmp_path / "terraformrc"
    cli_config.write_text("")  # no mirrors, no credentials: nothing reaches the network
    env = terraform_env(cli_config, home)
    if _uses_terraform(code):
        binaries = module_terraforms()
        if not binaries:
            pytest.skip("no terraform >= 1.3 for the driver example")
        env["TYPHOON_TF_TERRAFORM"] = str(binaries[0].path)
    env.pop("SSH_AUTH_SOCK", None)
    return env


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 4
    assert all(not code.startswith(SKIP_MARK) for code in BLOCKS), "every example should run"


@pytest.mark.parametrize("code", BLOCKS, ids=[_title(i, c) for i, c in enumerate(BLOCKS)])
def test_example_runs(code: str, tmp_path: Path) -> None:
    compile(code, str(DOC), "exec")  # a syntax error reads better than a failed run
    if code.startswith(SKIP_MARK):
        return
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=workdir,
        env=_environment(tmp_path, code),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_python_blocks_are_extracted() -> None:
    text = "x\n```python\nprint(1)\n```\n```sh\nls\n```\n```python\na = 2\n```\n"
    assert python_blocks(text) == ["print(1)\n", "a = 2\n"]


def test_examples_import_only_the_public_api() -> None:
    """The page teaches the top-level API; internal modules would be copied into users' code."""
    for code in BLOCKS:
        imports = re.findall(r"^\s*(?:from|import) (typhoon_tf\S*)", code, re.MULTILINE)
        assert set(imports) <= {"typhoon_tf"}, imports


def test_no_example_leaks_the_environment(tmp_path: Path) -> None:
    env = _environment(tmp_path, "")
    assert not any(k.startswith("TF_VAR_") for k in env)
    assert env["HOME"] != os.environ.get("HOME")
