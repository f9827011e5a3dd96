"""The Butane conformance corpus (expected outputs from real Butane v0.23.0), run through
the real CLI entry point exactly as the corpus README prescribes."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from typhoon_tf.cli import main

DATA = Path(__file__).parent / "data" / "conformance"
CORPUS = DATA / "butane"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
SUCCESS = [c for c in CASES if (CORPUS / c / "expected.ign").exists()]
FAILURE = [c for c in CASES if (CORPUS / c / "expected-error.txt").exists()]
# Butane's gzip payloads come from Go's compress/flate; ours from zlib (same content).
GZIP_DATA_URL = b'"compression":"gzip","source":"data:'


def _igncmp() -> ModuleType:
    spec = importlib.util.spec_from_file_location("igncmp", DATA / "igncmp.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


IGNCMP = _igncmp()


@dataclass
class Run:
    rc: int
    stdout: bytes
    stderr: str


@pytest.fixture
def in_case_dir(request: pytest.FixtureRequest) -> Iterator[Path]:
    case_dir = CORPUS / request.param
    old = Path.cwd()
    os.chdir(case_dir)  # the corpus runs each case inside its folder (-d files is relative)
    try:
        yield case_dir
    finally:
        os.chdir(old)


def run_in_process(case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    args = shlex.split((case_dir / "args").read_text())
    argv = ["butane", *args]
    if (case_dir / "stdin").exists():
        stdin = io.TextIOWrapper(io.BytesIO((case_dir / "input.bu").read_bytes()))
        monkeypatch.setattr(sys, "stdin", stdin)
    else:
        argv.append("input.bu")
    out = io.BytesIO()
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, write_through=True))
    monkeypatch.setattr(sys, "stderr", err)
    rc = main(argv)
    sys.stdout.flush()
    return Run(rc, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("in_case_dir", SUCCESS, indirect=True)
def test_success_case(in_case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_in_process(in_case_dir, monkeypatch)
    assert run.rc == 0, run.stderr
    expected = (in_case_dir / "expected.ign").read_bytes()
    assert IGNCMP.semantic_diff(expected, run.stdout) == []
    if GZIP_DATA_URL not in expected:
        assert IGNCMP.bytes_diff(expected, run.stdout) == []


@pytest.mark.parametrize("in_case_dir", FAILURE, indirect=True)
def test_error_case(in_case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_in_process(in_case_dir, monkeypatch)
    assert run.rc == 2
    assert run.stdout == b""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("typhoon-tf: error: ")
    assert "Traceback" not in run.stderr
    # every message names where: the file plus a line/column or a key path
    assert "input.bu" in lines[0] or "<stdin>" in lines[0]


def test_byte_identical_count() -> None:
    """All non-gzip success cases are byte-identical; report the overall figure."""
    identical = 0
    for case in SUCCESS:
        case_dir = CORPUS / case
        args = shlex.split((case_dir / "args").read_text())
        from typhoon_tf.butane import serialize, translate

        files_dir = str(case_dir / args[args.index("-d") + 1]) if "-d" in args else None
        config = translate(
            (case_dir / "input.bu").read_text(), strict="--strict" in args, files_dir=files_dir
        )
        got = (serialize(config, pretty="--pretty" in args) + "\n").encode()
        identical += got == (case_dir / "expected.ign").read_bytes()
    non_gzip = sum(GZIP_DATA_URL not in (CORPUS / c / "expected.ign").read_bytes() for c in SUCCESS)
    print(f"byte-identical: {identical}/{len(SUCCESS)} (non-gzip cases: {non_gzip})")
    assert identical >= non_gzip


def _typhoon_tf_binary() -> str | None:
    candidate = Path(sys.executable).parent / "typhoon-tf"
    return str(candidate) if candidate.exists() else shutil.which("typhoon-tf")


@pytest.mark.parametrize(
    "case",
    ["31-fcos15-controller-node", "45-stdin-input", "47-pretty-output", "58-err-decimal-mode"],
)
def test_cli_subprocess(case: str, tmp_path: Path) -> None:
    binary = _typhoon_tf_binary()
    if binary is None:
        pytest.skip("typhoon-tf console script is not installed")
    case_dir = CORPUS / case
    args = shlex.split((case_dir / "args").read_text())
    stdin_mode = (case_dir / "stdin").exists()
    cmd = [binary, "butane", *args] + ([] if stdin_mode else ["input.bu"])
    stdin = (case_dir / "input.bu").read_bytes() if stdin_mode else None
    proc = subprocess.run(cmd, cwd=case_dir, input=stdin, capture_output=True, timeout=60)
    if (case_dir / "expected.ign").exists():
        assert proc.returncode == 0, proc.stderr
        assert IGNCMP.semantic_diff((case_dir / "expected.ign").read_bytes(), proc.stdout) == []
    else:
        assert proc.returncode == 2
        assert proc.stdout == b""
        assert len(proc.stderr.decode().strip().splitlines()) == 1
        assert b"Traceback" not in proc.stderr


def test_cli_output_file_is_written_atomically(tmp_path: Path) -> None:
    binary = _typhoon_tf_binary()
    if binary is None:
        pytest.skip("typhoon-tf console script is not installed")
    case_dir = CORPUS / "36-flatcar10-basic"
    target = tmp_path / "out" / "node.ign"
    proc = subprocess.run(
        [binary, "butane", "--strict", "-o", str(target), "input.bu"],
        cwd=case_dir,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    assert target.read_bytes() == (case_dir / "expected.ign").read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["node.ign"]
    # a failing run leaves the previous output untouched
    bad = tmp_path / "bad.bu"
    bad.write_text("variant: fcos\nversion: 1.4.0\nstorage: {files: [{path: rel}]}\n")
    proc = subprocess.run(
        [binary, "butane", "-o", str(target), str(bad)], capture_output=True, timeout=60
    )
    assert proc.returncode == 2
    assert target.read_bytes() == (case_dir / "expected.ign").read_bytes()


IGNITION_VALIDATE = shutil.which("ignition-validate")
VALIDATABLE = [
    c
    for c in SUCCESS
    if json.loads((CORPUS / c / "expected.ign").read_bytes())["ignition"]["version"]
    in ("3.0.0", "3.1.0", "3.2.0", "3.3.0")
]


@pytest.mark.skipif(
    IGNITION_VALIDATE is None, reason="ignition-validate not installed (apt ignition)"
)
@pytest.mark.parametrize("case", VALIDATABLE)
def test_output_passes_ignition_validate(case: str, tmp_path: Path) -> None:
    from typhoon_tf.butane import serialize, translate

    case_dir = CORPUS / case
    args = shlex.split((case_dir / "args").read_text())
    files_dir = str(case_dir / args[args.index("-d") + 1]) if "-d" in args else None
    config = translate((case_dir / "input.bu").read_text(), files_dir=files_dir)
    out = tmp_path / "config.ign"
    out.write_text(serialize(config))
    assert IGNITION_VALIDATE is not None
    proc = subprocess.run([IGNITION_VALIDATE, str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "" and proc.stderr.strip() == ""
