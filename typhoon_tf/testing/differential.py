"""Run a directory of small HCL cases through `terraform validate` and `plan` with one provider
implementation (the real binary or our fake), and give each case its verdict.

Every case is one `.tf` file whose first line says what it expects (`# expect: ok` or
`# expect: invalid`). All cases share one root module, so one `init` and one `validate`
serve them all: Terraform reports every resource's diagnostics with its file, which names
the case. The cases validate accepted are then planned together, the same way. Real cloud
providers plan against `ec2_stub` (dummy credentials, every AWS endpoint on a local stub
that refuses what it does not serve), so nothing leaves the machine.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from typhoon_tf.testing.diagnostics import Diagnostic, diagnostics_from_stream
from typhoon_tf.testing.ec2_stub import Ec2Stub, provider_override
from typhoon_tf.testing.harness import _Runner, shared_terraform_home
from typhoon_tf.testing.mirror import ProviderChoice, build_mirror
from typhoon_tf.testing.terraform_bin import TerraformBinary, find_terraform, terraform_env

Stage = Literal["ok", "validate", "plan"]
Kind = Literal["real", "fake"]
_EXPECT = re.compile(r"^#\s*expect:\s*(ok|invalid)\b")
ROOT_FILE = "zz_differential_root.tf"


@dataclass(frozen=True)
class Verdict:
    stage: Stage  # where Terraform rejected the case ("ok": it passed validate and plan)
    messages: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.stage == "ok"


@dataclass(frozen=True)
class CaseRun:
    provider: ProviderChoice
    verdicts: dict[str, Verdict]
    unattributed: tuple[str, ...]  # diagnostics without a case file (must be empty)


def expectations(case_dir: Path) -> dict[str, bool]:
    """Case name -> whether it expects to be accepted, from each file's first line."""
    found: dict[str, bool] = {}
    for case in sorted(case_dir.glob("*.tf")):
        match = _EXPECT.match(case.read_text().split("\n", 1)[0])
        if match is None:
            raise ValueError(f"{case}: first line must be '# expect: ok' or '# expect: invalid'")
        found[case.stem] = match.group(1) == "ok"
    return found


def _root_text(region: str) -> str:
    return (
        "terraform {\n"
        "  required_providers {\n"
        '    aws = { source = "hashicorp/aws" }\n'
        "  }\n"
        "}\n"
        f'provider "aws" {{\n  region = "{region}"\n}}\n'
    )


def _by_case(diags: list[Diagnostic], cases: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    found: dict[str, list[str]] = {}
    stray: list[str] = []
    for diag in diags:
        if diag.severity != "error":
            continue
        case = Path(diag.file).stem if diag.file else None
        text = f"{diag.summary}: {diag.detail}" if diag.detail else diag.summary
        if case in cases:
            found.setdefault(case, []).append(text)
        else:
            stray.append(str(diag))
    return found, stray


def _validate(runner: _Runner, cases: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    proc = runner.run("validate", ["validate", "-json", "-no-color"], ok=(0, 1))
    report = json.loads(proc.stdout)
    diags = [Diagnostic.from_json(d) for d in report.get("diagnostics", [])]
    return _by_case(diags, cases)


def _plan(runner: _Runner, cases: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    proc = runner.run("plan", ["plan", "-input=false", "-json", "-refresh=false"], ok=(0, 1))
    return _by_case(diagnostics_from_stream(proc.stdout), cases)


@contextmanager
def _stubbed(root: Path, kind: Kind, region: str) -> Iterator[None]:
    """For a real provider: point it at a local EC2 stub for the plan's lifetime."""
    if kind == "fake":
        yield
        return
    with Ec2Stub({}, region).running() as stub:
        override = root / "ec2_stub_override.tf"
        override.write_text(provider_override(stub.url))
        try:
            yield
        finally:
            override.unlink()


def run_cases(
    case_dir: Path,
    workdir: Path,
    kind: Kind,
    *,
    terraform: TerraformBinary | None = None,
    region: str = "eu-central-1",
) -> CaseRun:
    """Validate every case, plan the ones validate accepted; one verdict per case."""
    root = workdir / "root"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    cases = set(expectations(case_dir))
    for name in cases:
        shutil.copy(case_dir / f"{name}.tf", root / f"{name}.tf")
    (root / ROOT_FILE).write_text(_root_text(region))
    cli_config = workdir / "terraformrc"
    mirror = build_mirror(
        workdir / "mirror",
        {"hashicorp/aws": ""},
        allow_real_cloud=kind == "real",
        prefer_fake=("hashicorp/aws",) if kind == "fake" else (),
    )
    choice = mirror.choice("aws")
    if choice.kind != kind:
        raise LookupError(f"no {kind} hashicorp/aws provider here (got {choice.kind})")
    cli_config.write_text(mirror.cli_config_text())
    env = terraform_env(cli_config, shared_terraform_home())
    runner = _Runner(terraform or find_terraform(), root, env, {}, None, str)
    runner.run("init", ["init", "-input=false", "-no-color"])

    rejected, stray = _validate(runner, cases)
    verdicts = {name: Verdict("validate", tuple(msgs)) for name, msgs in rejected.items()}
    for name in rejected:
        (root / f"{name}.tf").unlink()
    remaining = cases - set(rejected)
    with _stubbed(root, kind, region):
        failed, plan_stray = _plan(runner, remaining)
    verdicts.update({name: Verdict("plan", tuple(msgs)) for name, msgs in failed.items()})
    verdicts.update({name: Verdict("ok") for name in remaining - set(failed)})
    return CaseRun(choice, dict(sorted(verdicts.items())), tuple(stray + plan_stray))


def disagreements(
    first: Mapping[str, Verdict], second: Mapping[str, Verdict]
) -> dict[str, tuple[Stage, Stage]]:
    """Cases whose stage differs between two runs."""
    return {
        name: (first[name].stage, second[name].stage)
        for name in sorted(first)
        if first[name].stage != second[name].stage
    }
