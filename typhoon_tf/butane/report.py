"""Warnings and errors found while translating, each tied to a YAML path and mark."""

from __future__ import annotations

import json
from typing import NamedTuple

from typhoon_tf.errors import UserError

Mark = tuple[int, int]
YPath = tuple[str | int, ...]


def _path_part(part: str | int) -> str:
    text = str(part)
    if text.isprintable() and text and "." not in text and " " not in text:
        return text
    return json.dumps(text)  # odd keys stay visible and on one line


def format_path(path: YPath) -> str:
    return ".".join(_path_part(p) for p in path)


class Diagnostic(NamedTuple):
    """One finding: where (YAML key path, 1-based line/column) and what."""

    message: str
    path: YPath = ()
    mark: Mark | None = None
    file: str | None = None

    def to_error(self, suffix: str = "") -> UserError:
        return UserError(
            self.message + suffix,
            file=self.file,
            path=format_path(self.path) or None,
            line=self.mark[0] if self.mark else None,
            column=self.mark[1] if self.mark else None,
        )

    def __str__(self) -> str:
        return str(self.to_error())


class Report:
    """Collects warnings; errors are raised at once as `UserError`."""

    __slots__ = ("source_name", "warnings")

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.warnings: list[Diagnostic] = []

    def warn(self, message: str, path: YPath = (), mark: Mark | None = None) -> None:
        self.warnings.append(Diagnostic(message, path, mark, self.source_name))

    def fail(self, message: str, path: YPath = (), mark: Mark | None = None) -> UserError:
        """Build the error for the caller to raise (so type checkers see the raise)."""
        return Diagnostic(message, path, mark, self.source_name).to_error()
