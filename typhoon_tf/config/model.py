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
class Machine:
    """One bare-metal machine of a worker pool (the per-machine worker module's identity)."""

    name: str
    mac: str
    domain: str


@dataclass(frozen=True)
class WorkerPool:
    """A named pool: one call of the platform's workers submodule (bare-metal: one worker
    module per machine). `variables` holds only what the user set for the pool, with the
    submodule's variable names; the generator adds the wiring to the cluster."""

    name: str
    variables: dict[str, Any] = field(default_factory=dict)
    machines: tuple[Machine, ...] = ()  # bare-metal only


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
    worker_pools: tuple[WorkerPool, ...] = ()

    def pool(self, name: str) -> WorkerPool:
        """The pool called `name`; KeyError when there is none."""
        for pool in self.worker_pools:
            if pool.name == name:
                return pool
        raise KeyError(name)

    def snippets_for(self, role: str) -> tuple[Snippet, ...]:
        return self.snippets.get(role, ())
