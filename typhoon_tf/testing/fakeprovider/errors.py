"""The error a fake resource raises to report a diagnostic back to Terraform."""

from __future__ import annotations


class ProviderError(Exception):
    def __init__(
        self, summary: str, detail: str = "", *, path: list[str | int] | None = None
    ) -> None:
        super().__init__(summary)
        self.summary = summary
        self.detail = detail
        self.path = path or []
