"""The committed `modules/` tree is exactly what `typhoon-tf modules` generates, and every
file in it is canonical Terraform (`terraform fmt -check`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from typhoon_tf.generate.modules_tree import all_modules
from typhoon_tf.testing.terraform_bin import available_terraforms

MODULES = Path(__file__).parent.parent / "modules"
REGENERATE = "regenerate with: .venv/bin/typhoon-tf modules"


def committed_files() -> dict[str, str]:
    return {
        str(p.relative_to(MODULES)): p.read_text()
        for p in sorted(MODULES.rglob("*"))
        if p.is_file()
    }


def test_committed_modules_are_fresh() -> None:
    expected = all_modules()
    committed = committed_files()
    missing = sorted(set(expected) - set(committed))
    extra = sorted(set(committed) - set(expected))
    stale = sorted(k for k in expected.keys() & committed.keys() if expected[k] != committed[k])
    assert not (missing or extra or stale), (
        f"missing {missing[:5]}, extra {extra[:5]}, stale {stale[:5]}; {REGENERATE}"
    )


def test_generation_is_deterministic() -> None:
    assert all_modules() == all_modules()


def test_every_platform_and_os_is_present() -> None:
    for platform in ("aws", "google-cloud", "azure", "digital-ocean", "bare-metal"):
        for os_name in ("fedora-coreos", "flatcar-linux"):
            module = MODULES / platform / os_name / "kubernetes"
            assert (module / "variables.tf").is_file(), module
            assert (module / "README.md").is_file(), module


def terraform() -> str | None:
    found = available_terraforms()
    return str(found[0].path) if found else None


@pytest.mark.skipif(terraform() is None, reason="no terraform binary (PATH or the venv)")
def test_committed_modules_are_fmt_clean() -> None:
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull}
    proc = subprocess.run(
        [str(terraform()), "fmt", "-check", "-recursive", "-diff", str(MODULES)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
