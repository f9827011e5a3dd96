"""Terraform diagnostics (from `validate -json` and `plan/apply -json` streams) as data,
and the error a verification run raises when Terraform rejects a module."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    summary: str
    detail: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @classmethod
    def from_json(
        cls, raw: dict[str, Any], rename_file: Callable[[str], str] | None = None
    ) -> Diagnostic:
        rng = raw.get("range") or {}
        start = rng.get("start") or {}
        filename = rng.get("filename")
        if filename and rename_file is not None:
            filename = rename_file(filename)
        return cls(
            severity=raw.get("severity", "error"),
            summary=raw.get("summary", ""),
            detail=raw.get("detail", ""),
            file=filename,
            line=start.get("line"),
            column=start.get("column"),
        )

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}:{self.column}: " if self.line else f"{self.file}: "
        detail = f": {self.detail}" if self.detail else ""
        return f"{where}{self.severity}: {self.summary}{detail}"


def diagnostics_from_stream(
    stdout: str, rename_file: Callable[[str], str] | None = None
) -> list[Diagnostic]:
    """Diagnostics from Terraform's machine-readable UI (`plan -json`, `apply -json`)."""
    found: list[Diagnostic] = []
    for line in stdout.splitlines():
        if not line.startswith("{"):
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("type") == "diagnostic" and "diagnostic" in message:
            found.append(Diagnostic.from_json(message["diagnostic"], rename_file))
    return found


class VerificationError(AssertionError):
    """Terraform rejected the module at `step`; carries its diagnostics and raw output.

    An AssertionError so pytest shows it as a test failure with the full message.
    """

    def __init__(self, step: str, diagnostics: Iterable[Diagnostic], output: str = "") -> None:
        self.step = step
        self.diagnostics = [d for d in diagnostics if d.severity == "error"] or list(diagnostics)
        self.output = output
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [f"terraform {self.step} failed"]
        lines += [f"  {d}" for d in self.diagnostics]
        if not self.diagnostics and self.output:
            lines.append(self.output.strip()[-4000:])
        return "\n".join(lines)

    def summaries(self) -> list[str]:
        return [d.summary for d in self.diagnostics]
