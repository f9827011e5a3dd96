"""CLI contract of `typhoon-tf ignition validate|downconvert|merge`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.cli import main

VALID = {"ignition": {"version": "3.3.0"}, "storage": {"files": [{"path": "/etc/a", "mode": 420}]}}
INVALID = {
    "ignition": {"version": "3.3.0"},
    "storage": {"files": [{"path": "etc/a", "mode": 9999}]},
}  # noqa: E501


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_validate_valid_files_exit_0_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: E501
    assert main(["ignition", "validate", write(tmp_path, "a.ign", VALID)]) == 0
    assert capsys.readouterr().out == ""


def test_validate_invalid_prints_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = write(tmp_path, "good.ign", VALID), write(tmp_path, "bad.ign", INVALID)
    assert main(["ignition", "validate", good, bad]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{bad}: storage.files.0.mode: illegal file mode",
        f"{bad}: storage.files.0.path: path not absolute",
    ]


def test_validate_warnings_only_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: E501
    path = write(tmp_path, "w.ign", {**VALID, "bogus": 1})
    assert main(["ignition", "validate", path]) == 0
    assert capsys.readouterr().out == ""
    assert main(["ignition", "validate", "--warnings", path]) == 0
    assert capsys.readouterr().out == f"{path}: bogus: warning: Unused key bogus\n"


@pytest.mark.parametrize("content", ["not json", None])
def test_validate_unreadable_or_non_json_exit_2_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None
) -> None:
    path = write(tmp_path, "x.ign", content) if content else str(tmp_path / "missing.ign")
    assert main(["ignition", "validate", path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"typhoon-tf: error: {path}")


def test_downconvert_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: E501
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(VALID)))
    assert main(["ignition", "downconvert", "--to", "2.3.0"]) == 0
    out = capsys.readouterr().out
    assert out == (
        '{"ignition":{"version":"2.3.0"},"storage":{"files":[{"filesystem":"root",'
        '"path":"/etc/a","mode":420,"overwrite":false}]}}\n'
    )


def test_downconvert_file_to_file_pretty(tmp_path: Path) -> None:
    out = tmp_path / "out.ign"
    src = write(tmp_path, "in.ign", VALID)
    assert main(["ignition", "downconvert", "--to", "2.3.0", "--pretty", "-o", str(out), src]) == 0
    text = out.read_text()
    assert text.endswith("}\n") and text.startswith('{\n  "ignition"')
    assert main(["ignition", "validate", str(out)]) == 0


def test_downconvert_refusal_exit_2_names_key_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path, "k.ign", {"ignition": {"version": "3.3.0"},
                                    "kernelArguments": {"shouldExist": ["a"]}})  # fmt: skip
    out = tmp_path / "never.ign"
    assert main(["ignition", "downconvert", "--to", "2.3.0", "-o", str(out), src]) == 2
    assert capsys.readouterr().err == (
        f"typhoon-tf: error: {src}: kernelArguments.shouldExist: kernel arguments cannot be "
        "expressed in Ignition spec 2.3.0\n"
    )
    assert not out.exists()


def test_merge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parent = write(tmp_path, "p.ign", VALID)
    child = write(tmp_path, "c.ign", {"ignition": {"version": "3.1.0"},
                                      "storage": {"files": [{"path": "/etc/a", "mode": 384}]}})  # fmt: skip # noqa: E501
    assert main(["ignition", "merge", parent, child]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ignition": {"version": "3.3.0"}, "storage": {"files": [{"path": "/etc/a", "mode": 384}]}}  # fmt: skip # noqa: E501
    assert main(["ignition", "merge", parent, write(tmp_path, "bad.ign", INVALID)]) == 2


def test_console_script_end_to_end(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.ign", INVALID)
    proc = subprocess.run([sys.executable, "-m", "typhoon_tf", "ignition", "validate", bad],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == f"{bad}: storage.files.0.mode: illegal file mode"
