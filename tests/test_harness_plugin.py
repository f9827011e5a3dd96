"""The pytest fixtures other test files get from `typhoon_tf.testing.pytest_plugin`."""

from __future__ import annotations

from pathlib import Path

from typhoon_tf.testing.pytest_plugin import (  # noqa: F401 (fixtures used by name)
    VerifyFn,
    terraform_binary,
    verify_terraform,
)

SAMPLES = Path(__file__).parent / "data" / "tfsamples"


def test_verify_terraform_fixture_runs_in_tmp_path(
    verify_terraform: VerifyFn,  # noqa: F811 (the imported fixture, requested by name)
    tmp_path: Path,
) -> None:
    result = verify_terraform(SAMPLES / "clean_null", {"nodes": ["x"]}, apply=False)
    assert result.workspace.is_relative_to(tmp_path)
    assert result.state is None
    assert result.planned_changes() == {'null_resource.node["x"]': ["create"]}
