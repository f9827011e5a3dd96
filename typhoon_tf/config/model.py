"""The validated cluster configuration handed to the generator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("controller", "worker")


@dataclass(frozen=True)
class Snippet:
    """A generate-time Butane snippet: its text and where it came from (for error messages)."""

    source: str
    text: str


@dataclass(frozen=True)
class ClusterConfig:
    """Everything `generate` needs: platform, OS, module variables and snippets.

    `variables` holds only what the user set (Typhoon's names); module defaults stay in the
    generated module so `terraform` remains the single place they are applied.
    """

    platform: str
    os: str
    name: str
    variables: dict[str, Any]
    source: str = "<example>"
    ignition_version: str | None = None
    provider: dict[str, Any] = field(default_factory=dict)
    snippets: dict[str, tuple[Snippet, ...]] = field(default_factory=dict)
    coordinated_updates: bool = False  # fleetlock (FCOS) / FLUO (Flatcar) addon + node config

    def snippets_for(self, role: str) -> tuple[Snippet, ...]:
        return self.snippets.get(role, ())
