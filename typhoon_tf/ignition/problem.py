"""A validation finding: where in the config, what is wrong, and how bad it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

KeyPath = tuple[str | int, ...]
Severity = Literal["error", "warning"]


def format_path(path: KeyPath) -> str:
    """`("storage", "files", 0, "path")` -> `"storage.files.0.path"` (`"$"` for the root)."""
    return ".".join(str(part) for part in path) if path else "$"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding. Ignition treats warnings (e.g. unused keys) as non-fatal."""

    path: KeyPath
    message: str
    severity: Severity = "error"

    @property
    def key_path(self) -> str:
        return format_path(self.path)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        prefix = "" if self.is_error else "warning: "
        return f"{self.key_path}: {prefix}{self.message}"
