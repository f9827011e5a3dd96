"""Fake vs real hashicorp/aws: the same verdict on every case of tfsamples/aws_differential.

Each case is a small configuration of a resource type our AWS modules use, good or bad (its
first line says which). Both providers run `terraform validate` over all cases at once, then
`plan` over those validate accepted (the real one against the local EC2 stub): a case's
verdict is the step that rejected it, or "ok". The fake must reach the real provider's
verdict on every case, and both must meet the case's expectation.

The real provider comes with the machine image (/opt/tf-plugins on this machine kind and in
CI); where it is absent the comparison skips, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from typhoon_tf.testing.differential import CaseRun, disagreements, expectations, run_cases
from typhoon_tf.testing.mirror import discover_real_providers
from typhoon_tf.testing.terraform_bin import module_terraforms

CASES = Path(__file__).parent / "data" / "tfsamples" / "aws_differential"
REAL_AWS = any(
    p.address.endswith("/hashicorp/aws") and p.version.startswith("5.")
    for p in discover_real_providers()
)


def _terraform_or_fail() -> None:
    if not module_terraforms():
        pytest.fail("no Terraform that meets the modules' floor")


@pytest.fixture(scope="module")
def fake_run(tmp_path_factory: pytest.TempPathFactory) -> CaseRun:
    _terraform_or_fail()
    return run_cases(CASES, tmp_path_factory.mktemp("fake"), "fake")


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> CaseRun:
    _terraform_or_fail()
    if not REAL_AWS:
        if os.environ.get("CI") == "true":
            pytest.fail("CI machines carry the real hashicorp/aws 5.x provider; it is missing")
        pytest.skip("no real hashicorp/aws 5.x provider in a local filesystem mirror")
    return run_cases(CASES, tmp_path_factory.mktemp("real"), "real")


def _unmet(run: CaseRun) -> dict[str, str]:
    expected = expectations(CASES)
    return {
        name: verdict.stage
        for name, verdict in run.verdicts.items()
        if verdict.accepted != expected[name]
    }


def test_the_case_set_is_large_and_mixed() -> None:
    expected = expectations(CASES)
    assert len(expected) >= 30
    assert sum(expected.values()) >= 10 and sum(not ok for ok in expected.values()) >= 20


def test_the_fake_meets_every_expectation(fake_run: CaseRun) -> None:
    assert fake_run.provider.kind == "fake"
    assert fake_run.unattributed == ()
    assert _unmet(fake_run) == {}


@pytest.mark.slow
def test_fake_and_real_reach_the_same_verdicts(fake_run: CaseRun, real_run: CaseRun) -> None:
    assert real_run.provider.kind == "real" and real_run.provider.version == "5.100.0"
    assert real_run.unattributed == ()
    assert _unmet(real_run) == {}, "a case's expectation is wrong about the real provider"
    assert disagreements(real_run.verdicts, fake_run.verdicts) == {}
    same_words = [
        name
        for name, verdict in real_run.verdicts.items()
        if set(verdict.messages) == set(fake_run.verdicts[name].messages)
    ]
    stages = [v.stage for v in real_run.verdicts.values()]
    print(
        f"\n{len(stages)} cases: {stages.count('ok')} ok, {stages.count('validate')} rejected at "
        f"validate, {stages.count('plan')} at plan; all agree; "
        f"{len(same_words)} with the same messages"
    )
