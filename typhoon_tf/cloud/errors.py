"""Errors from the optional cloud lookups."""

from __future__ import annotations


class CloudProblem(Exception):
    """A cloud precondition does not hold (message says what to fix)."""


class MissingExtra(CloudProblem):
    """The optional cloud library is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this check needs the {module!r} library: pip install 'typhoon-tf[{extra}]'"
        )
        self.extra = extra
