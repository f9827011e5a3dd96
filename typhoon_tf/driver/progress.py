"""Turn Terraform's machine-readable UI (`plan -json` / `apply -json`) into readable lines.

Each line starts with the elapsed time; apply lines count finished resources against the
planned total, so a long apply shows how far it is and what it is doing right now.
Terraform's diagnostics are always shown in full (they are the error the user must read).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO, TypedDict

ACTION_SYMBOLS = {
    "create": "+",
    "update": "~",
    "delete": "-",
    "replace": "-/+",
    "read": "<=",
    "noop": " ",
}
_PAST_TENSE = {
    "create": "created",
    "update": "updated",
    "delete": "destroyed",
    "read": "read",
    "noop": "unchanged",
}
_PRESENT = {
    "create": "creating",
    "update": "updating",
    "delete": "destroying",
    "read": "reading",
    "noop": "checking",
}


# The fields of Terraform's machine-readable UI events this module reads
# (https://developer.hashicorp.com/terraform/internals/machine-readable-ui); every field is
# read with a default, as events of other types or newer Terraform releases may lack it.
class ResourceAddr(TypedDict, total=False):
    addr: str


class Hook(TypedDict, total=False):
    resource: ResourceAddr
    action: str
    elapsed_seconds: float
    provisioner: str
    output: str


class Change(TypedDict, total=False):
    resource: ResourceAddr
    action: str
    reason: str


class Pos(TypedDict, total=False):
    line: int
    column: int
    byte: int


class Range(TypedDict, total=False):
    filename: str
    start: Pos
    end: Pos


class Diagnostic(TypedDict, total=False):
    severity: str
    summary: str
    detail: str
    range: Range


UiEvent = TypedDict(
    "UiEvent",
    {
        "@level": str,
        "@message": str,
        "@module": str,
        "@timestamp": str,
        "type": str,
        "hook": Hook,
        "change": Change,
        "diagnostic": Diagnostic,
    },
    total=False,
)


_TALLY_WORDS = {
    "create": "to add",
    "update": "to change",
    "replace": "to replace",
    "delete": "to destroy",
}


def top_module(address: str) -> str | None:
    """`module.x` for an address inside the root's module call `x` (None at the root)."""
    if not address.startswith("module."):
        return None
    return "module." + re.split(r"[.\[]", address.removeprefix("module."), maxsplit=1)[0]


def _tally(counts: dict[str, int]) -> str:
    parts = [f"{counts[a]} {w}" for a, w in _TALLY_WORDS.items() if counts.get(a)]
    return ", ".join(parts) or "no changes"


def parse_event(line: str) -> UiEvent | None:
    """The JSON event on `line`, or None for a line that is not one."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        event: UiEvent = json.loads(text)
    except ValueError:
        return None
    return event if isinstance(event, dict) and "type" in event else None


def format_diagnostic(diag: Diagnostic) -> str:
    rng: Range = diag.get("range") or {}
    start: Pos = rng.get("start") or {}
    where = ""
    if rng.get("filename"):
        where = f"{rng['filename']}:{start.get('line', '?')}: "
    text = f"{where}{diag.get('severity', 'error')}: {diag.get('summary', '')}"
    detail = str(diag.get("detail") or "").strip()
    if detail:
        text += "\n" + "\n".join(f"    {line}" for line in detail.splitlines())
    return text


@dataclass
class Progress:
    """Consumes events and writes one line per meaningful step to `out`."""

    out: TextIO
    expected: int | None = None  # resource changes an apply will make (from the plan)
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    done: int = 0
    errors: list[str] = field(default_factory=list)
    summary: str = ""
    current: str = ""
    show_planned: bool = True  # False for apply: the plan was already shown
    planned: list[tuple[str, str]] = field(default_factory=list)
    # Top-level module call (the cluster, each worker pool) -> planned action counts.
    by_module: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def _emit(self, text: str) -> None:
        elapsed = self.clock() - self.started
        self.out.write(f"[{elapsed:6.1f}s] {text}\n")
        self.out.flush()

    def _count(self) -> str:
        return f"{self.done}/{self.expected}" if self.expected else str(self.done)

    def handle_line(self, line: str) -> None:
        event = parse_event(line)
        if event is None:
            if line.strip():
                self.out.write(line if line.endswith("\n") else line + "\n")
            return
        self.handle(event)

    def handle(self, event: UiEvent) -> None:
        kind = event.get("type")
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(event)

    # -- event handlers (named after Terraform's event types) -------------------------------

    def _on_planned_change(self, event: UiEvent) -> None:
        # Terraform emits these in a parallel walk's order; collect, print sorted at the summary.
        if not self.show_planned:
            return
        change = event.get("change", {})
        action = change.get("action", "")
        addr = change.get("resource", {}).get("addr", "?")
        reason = change.get("reason")
        suffix = f" ({reason.replace('_', ' ')})" if reason else ""
        self.planned.append(
            (addr, f"  {ACTION_SYMBOLS.get(action, '?'):>3} {addr}: {action}{suffix}")
        )
        module = top_module(addr)
        if module is not None:
            counts = self.by_module.setdefault(module, {})
            counts[action] = counts.get(action, 0) + 1

    def _on_change_summary(self, event: UiEvent) -> None:
        for _addr, line in sorted(self.planned):
            self.out.write(line + "\n")
        self.planned.clear()
        # With worker pools a plan spans several module calls: say what each one gets.
        if len(self.by_module) > 1:
            for module, counts in sorted(self.by_module.items()):
                self.out.write(f"  {module}: {_tally(counts)}\n")
        self.by_module.clear()
        self.summary = str(event.get("@message", ""))
        self._emit(self.summary)

    def _on_apply_start(self, event: UiEvent) -> None:
        hook = event.get("hook", {})
        addr = hook.get("resource", {}).get("addr", "?")
        self.current = f"{_PRESENT.get(hook.get('action', ''), 'applying')} {addr}"
        self._emit(f"{self.current}... ({self._count()} done)")

    def _on_apply_progress(self, event: UiEvent) -> None:
        hook = event.get("hook", {})
        addr = hook.get("resource", {}).get("addr", "?")
        seconds = hook.get("elapsed_seconds", 0)
        self._emit(f"still {_PRESENT.get(hook.get('action', ''), 'applying')} {addr} ({seconds}s)")

    def _on_apply_complete(self, event: UiEvent) -> None:
        hook = event.get("hook", {})
        addr = hook.get("resource", {}).get("addr", "?")
        self.done += 1
        verb = _PAST_TENSE.get(hook.get("action", ""), "applied")
        self._emit(f"{verb} {addr} after {hook.get('elapsed_seconds', 0)}s ({self._count()})")

    def _on_apply_errored(self, event: UiEvent) -> None:
        self._emit(f"FAILED: {event.get('@message', '')}")

    def _on_provision_progress(self, event: UiEvent) -> None:
        hook = event.get("hook", {})
        addr = hook.get("resource", {}).get("addr", "?")
        self.out.write(
            f"           {addr} ({hook.get('provisioner', '')}): {hook.get('output', '')}\n"
        )

    def _on_provision_errored(self, event: UiEvent) -> None:
        self._emit(f"FAILED: {event.get('@message', '')}")

    def _on_diagnostic(self, event: UiEvent) -> None:
        diag = event.get("diagnostic", {})
        text = format_diagnostic(diag)
        if diag.get("severity") == "error":
            self.errors.append(str(diag.get("summary", "")))
        self.out.write(text + "\n")

    def _on_log(self, event: UiEvent) -> None:
        # Terraform logs interrupts and similar notices at info level or above.
        if event.get("@level") in ("warn", "error") or "nterrupt" in str(event.get("@message")):
            self._emit(str(event.get("@message", "")))
