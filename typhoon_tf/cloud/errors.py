"""Errors from the optional cloud lookups."""

from __future__ import annotations


class CloudProblem(Exception):
    """A cloud precondition does not hold (message says what to fix)."""


class MissingExtra(CloudProblem):
    """The optional cloud library is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        from typhoon_tf.install_hint import install_command

        super().__init__(
            f"this check needs the {module!r} library (the [{extra}] extra): "
            f"{install_command(extra)}"
        )
        self.module = module
        self.extra = extra
