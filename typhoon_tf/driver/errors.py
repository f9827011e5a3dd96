"""Exit codes and the two failures the driver reports besides `UserError`.

0 success · 1 Terraform failed · 2 user error (`UserError`, preflight) · 3 refused by a guard.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_TERRAFORM_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_REFUSED = 3


class TerraformFailed(Exception):
    """A Terraform command exited non-zero (its own diagnostics were already shown)."""

    def __init__(self, step: str, returncode: int, detail: str = "") -> None:
        self.step = step
        self.returncode = returncode
        self.detail = detail
        text = f"terraform {step} failed (exit {returncode})"
        super().__init__(f"{text}: {detail}" if detail else text)


class Refused(Exception):
    """A guard refused to go on; `items` lists what it objected to."""

    def __init__(self, message: str, items: list[str], hint: str) -> None:
        self.message = message
        self.items = items
        self.hint = hint
        super().__init__(message)

    def report(self) -> str:
        lines = [self.message, *(f"  - {item}" for item in self.items), self.hint]
        return "\n".join(lines)
