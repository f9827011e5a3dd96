"""A validation finding: where in the config, what is wrong, and how bad it is."""

from __future__ import annotations

from typing import Literal, NamedTuple

KeyPath = tuple[str | int, ...]
Severity = Literal["error", "warning"]


def format_path(path: KeyPath) -> str:
    """`("storage", "files", 0, "path")` -> `"storage.files.0.path"` (`"$"` for the root)."""
    return ".".join(str(part) for part in path) if path else "$"


class Problem(NamedTuple):
    """One finding. Ignition treats warnings (e.g. unused keys) as non-fatal.

    A NamedTuple rather than a dataclass: `dataclasses` costs the Butane CLI's cold
    start several milliseconds (it imports `inspect`).
    """

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
