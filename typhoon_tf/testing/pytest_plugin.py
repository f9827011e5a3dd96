"""pytest fixtures for offline Terraform verification.

Enable in a conftest with `pytest_plugins = ["typhoon_tf.testing.pytest_plugin"]`, then:

    def test_module(verify_terraform):
        result = verify_terraform("modules/aws/fcos/kubernetes", {"cluster_name": "t"})
        assert result.rendered_user_data()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.testing.harness import Result, verify_module
from typhoon_tf.testing.terraform_bin import TerraformBinary, TerraformNotFound, find_terraform

VerifyFn = Callable[..., Result]


@pytest.fixture(scope="session")
def terraform_binary() -> TerraformBinary:
    """The Terraform binary verification uses; skips the test when there is none."""
    try:
        return find_terraform()
    except TerraformNotFound as err:
        pytest.skip(f"no terraform binary: {err}")


@pytest.fixture
def verify_terraform(tmp_path: Path, terraform_binary: TerraformBinary) -> VerifyFn:
    """`verify_terraform(module_dir, variables=None, **kwargs) -> Result` in a tmp workspace.

    Keyword arguments go to `typhoon_tf.testing.harness.verify_module` (apply=False for a
    plan-only run, terraform=... to pick another binary, prefer_fake=[...], ...).
    """
    counter = iter(range(1_000_000))

    def run(
        module_dir: str | Path, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> Result:
        kwargs.setdefault("terraform", terraform_binary)
        kwargs.setdefault("workdir", tmp_path / f"tfverify-{next(counter)}")
        return verify_module(module_dir, variables, **kwargs)

    return run
