"""The Terraform commands the driver uses, each a plain subprocess over `-chdir=DIR`.

Never python-terraform (its plan/apply/destroy defaults break on Terraform >= 0.15). Every
command gets `-input=false`; plan always writes a plan file and apply only ever applies a
plan file, so what the guard inspected is exactly what runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypedDict

from typhoon_tf.driver.errors import TerraformFailed
from typhoon_tf.driver.process import Completed, run_streaming
from typhoon_tf.driver.progress import Progress
from typhoon_tf.terraform_binary import Binary

PLAN_FILE = "typhoon-tf.tfplan"


class OutputValue(TypedDict):
    """One output of `terraform output -json`."""

    sensitive: bool
    type: object  # Terraform's type as JSON (e.g. "string", ["map", "string"])
    value: Any  # the output's value: any JSON value


def automation_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: the caller's environment) plus the switches for a non-interactive run."""
    env = dict(os.environ if base is None else base)
    env.update({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"})
    return env


@dataclass
class Terraform:
    """One root module directory driven by one binary.

    `raw=True` passes Terraform's human output through instead of the progress display.
    """

    binary: Binary
    workdir: Path
    env: dict[str, str] = field(default_factory=automation_env)
    raw: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    # -- plumbing ------------------------------------------------------------------------

    def _argv(self, *args: str) -> list[str]:
        # The process runs with cwd=workdir (not -chdir), so relative plan paths and
        # local-exec commands resolve in the root module, as with a hand-run terraform.
        return [str(self.binary.path), *args]

    def _stream(self, step: str, args: Sequence[str], expected: int | None = None) -> Completed:
        if self.raw:
            args = [a for a in args if a != "-json"]
            result = run_streaming(
                self._argv(*args),
                cwd=self.workdir,
                env=self.env,
                on_line=self.out.write,
                stderr_echo=self.err,
            )
            errors: list[str] = []
        else:
            progress = Progress(self.out, expected=expected, show_planned=expected is None)
            result = run_streaming(
                self._argv(*args),
                cwd=self.workdir,
                env=self.env,
                on_line=progress.handle_line,
                stderr_echo=self.err,
            )
            errors = progress.errors
        if result.returncode != 0:
            detail = "; ".join(errors) or _first_error_line(result.stderr)
            if result.interrupts:
                detail = f"interrupted by the user{': ' + detail if detail else ''}"
            raise TerraformFailed(step, result.returncode, detail)
        return result

    def _capture(self, step: str, args: Sequence[str]) -> str:
        proc = subprocess.run(
            self._argv(*args),
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if proc.returncode != 0:
            self.err.write(proc.stderr or proc.stdout)
            detail = _first_error_line(proc.stderr or proc.stdout)
            raise TerraformFailed(step, proc.returncode, detail)
        return proc.stdout

    # -- commands ------------------------------------------------------------------------

    def init(self, *extra: str) -> None:
        # `init` has no -json UI before Terraform 1.9: pass its (short) output through.
        result = run_streaming(
            self._argv("init", "-input=false", "-no-color", *extra),
            cwd=self.workdir,
            env=self.env,
            on_line=self.out.write,
            stderr_echo=self.err,
        )
        if result.returncode != 0:
            raise TerraformFailed("init", result.returncode, _first_error_line(result.stderr))

    def plan(
        self, plan_file: str = PLAN_FILE, *, destroy: bool = False, extra: Sequence[str] = ()
    ) -> dict[str, Any]:
        """Write `plan_file` and return its JSON (`terraform show -json`)."""
        args = ["plan", "-input=false", "-no-color", "-json", f"-out={plan_file}", *extra]
        if destroy:
            args.insert(1, "-destroy")
        self._stream("plan", args)
        return self.show_plan(plan_file)

    def show_plan(self, plan_file: str = PLAN_FILE) -> dict[str, Any]:
        shown: dict[str, Any] = json.loads(
            self._capture("show", ["show", "-json", "-no-color", plan_file])
        )
        return shown

    def apply(self, plan_file: str = PLAN_FILE, *, expected: int | None = None) -> None:
        self._stream("apply", ["apply", "-input=false", "-no-color", "-json", plan_file], expected)

    def outputs(self) -> dict[str, OutputValue]:
        """`terraform output -json`: name -> {"value", "type", "sensitive"}."""
        values: dict[str, OutputValue] = json.loads(self._capture("output", ["output", "-json"]))
        return values

    def state(self) -> dict[str, Any]:
        shown: dict[str, Any] = json.loads(self._capture("show", ["show", "-json"]))
        return shown


def _first_error_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return next((ln for ln in lines if ln.startswith("Error")), lines[0] if lines else "")


def count_changes(plan: Mapping[str, Any]) -> int:
    """How many resource operations an apply of `plan` performs (a replace is two)."""
    return sum(
        len([a for a in rc["change"]["actions"] if a in ("create", "update", "delete")])
        for rc in plan.get("resource_changes", [])
    )


def has_changes(plan: Mapping[str, Any]) -> bool:
    if count_changes(plan):
        return True
    return any(
        oc.get("actions") not in (["no-op"], None) for oc in plan.get("output_changes", {}).values()
    )
