"""`typhoon-tf verify DIR` prints each step and maps failures to exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from typhoon_tf.cli import main
from typhoon_tf.cli.verify_cmd import collect_variables
from typhoon_tf.errors import UserError
from typhoon_tf.testing.terraform_bin import available_terraforms

SAMPLES = Path(__file__).parent / "data" / "tfsamples"
needs_terraform = pytest.mark.skipif(not available_terraforms(), reason="no terraform binary")


@needs_terraform
def test_verify_prints_steps_and_providers(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["verify", str(SAMPLES / "clean_null"), "-var", 'nodes=["x"]'])
    out = capsys.readouterr().out
    assert rc == 0, out
    for step in ("init", "validate", "plan", "apply", "replan"):
        assert f"  {step} " in out
    assert "hashicorp/null 2.1.2: real" in out
    assert "ok: 1 resources" in out


@needs_terraform
def test_verify_reports_terraform_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["verify", str(SAMPLES / "missing_required")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "terraform validate failed" in err
    assert f"{SAMPLES / 'missing_required' / 'main.tf'}:1:" in err
    assert "Missing required argument" in err


def test_bad_var_syntax_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(SAMPLES / "clean_null"), "-var", "novalue"]) == 2
    assert "-var expects NAME=VALUE" in capsys.readouterr().err


def test_variables_from_files_and_flags(tmp_path: Path) -> None:
    var_file = tmp_path / "vars.yaml"
    var_file.write_text("cluster_name: tempest\nworker_count: 2\n")
    assert collect_variables(
        [str(var_file)], ["worker_count=5", 'tags={"a": "b"}', "name=plain"]
    ) == {
        "cluster_name": "tempest",
        "worker_count": 5,
        "tags": {"a": "b"},
        "name": "plain",
    }
    var_file.write_text("- not a mapping\n")
    with pytest.raises(UserError, match="mapping"):
        collect_variables([str(var_file)], [])
