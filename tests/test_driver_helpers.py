"""Shared fixtures for the driver tests (no tests here): an offline Terraform workspace.

Reuses the verification harness: its binary discovery (`find_terraform`), its provider
mirror (real null 2.1.2, schema-faithful fakes) and its isolated environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from uninstallable import NO_MODERN_TERRAFORM

from typhoon_tf.testing.mirror import Mirror, build_mirror
from typhoon_tf.testing.terraform_bin import (
    TerraformBinary,
    TerraformNotFound,
    find_terraform,
    terraform_env,
)
from typhoon_tf.versions import TERRAFORM_FLOOR

DATA = Path(__file__).parent / "data" / "driver"
REPO = Path(__file__).parent.parent


@dataclass
class Workspace:
    root: Path  # the root module copy the driver runs in
    terraform: TerraformBinary
    env: dict[str, str]

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run `typhoon-tf ARGS` as a separate process (what a user runs)."""
        return subprocess.run(
            [sys.executable, "-m", "typhoon_tf", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root.parent,
            check=False,
        )

    def set_vars(self, **values: object) -> None:
        lines = []
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else repr(value).replace("'", '"')
            lines.append(f"{key} = {text}")
        (self.root / "terraform.tfvars").write_text("\n".join(lines) + "\n")


def terraform_or_skip() -> TerraformBinary:
    """A binary the driver accepts (its preflight wants >= TERRAFORM_FLOOR)."""
    try:
        binary = find_terraform()
    except TerraformNotFound as err:  # pip's 1.0.3 is a test extra: a failure under CI
        pytest.skip(f"no terraform binary: {err}")
    if binary.version_tuple[:2] < TERRAFORM_FLOOR:
        pytest.skip(NO_MODERN_TERRAFORM)
    return binary


def serve_offline(mirror_dir: Path, providers: Mapping[str, str]) -> Mirror:
    """A provider mirror serving every provider: one it cannot serve fails the test (a
    missing fake is a gap in the harness, never a reason to skip)."""
    mirror = build_mirror(mirror_dir, providers)
    if mirror.unserved:
        pytest.fail(f"no offline provider (real or fake) for {', '.join(mirror.unserved)}")
    return mirror


def make_workspace(
    tmp_path: Path,
    sample: str,
    providers: Mapping[str, str],
    extra_env: Mapping[str, str] | None = None,
) -> Workspace:
    terraform = terraform_or_skip()
    root = tmp_path / sample
    shutil.copytree(DATA / sample, root)
    mirror = serve_offline(tmp_path / "mirror", providers)
    cli_config = tmp_path / "terraformrc"
    cli_config.write_text(mirror.cli_config_text())
    home = tmp_path / "home"
    home.mkdir()
    env = terraform_env(cli_config, home)
    env["TYPHOON_TF_TERRAFORM"] = str(terraform.path)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    # No agent unless a test starts one: the preflight must not depend on the caller's shell.
    env.pop("SSH_AUTH_SOCK", None)
    env.update(extra_env or {})
    return Workspace(root, terraform, env)
