"""`provider_facts.yaml`, read once per process (ForceNew table and value constraints share it).

A fake provider is a short-lived process that Terraform starts two or three times per command,
so parsing 50 KB of YAML in each (about 60 ms with PyYAML's Python loader, once for the
ForceNew table and once for the constraints) was a large share of every Terraform cycle.
The parsed document is cached as JSON beside the user's other typhoon-tf caches, keyed by the
YAML's SHA-256, so a change to the YAML can never be served stale, and YAML is only imported
when the cache is missing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

FACTS_FILE = "provider_facts.yaml"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "typhoon-tf" / "provider-facts"


def _parse_yaml(text: str) -> dict[str, Any]:
    import yaml  # only when the cache misses: its import alone costs a fake ~15 ms

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed: dict[str, Any] = yaml.load(text, Loader=loader)
    return parsed


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".facts-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@functools.cache
def load_facts() -> dict[str, Any]:
    """Resource type -> its entry in `provider_facts.yaml` (`force_new`, `constraints`, ...)."""
    text = resources.files(__package__).joinpath(FACTS_FILE).read_text()
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    cached = _cache_dir() / f"{digest}.json"
    try:
        loaded: dict[str, Any] = json.loads(cached.read_text())
        return loaded
    except (OSError, ValueError):
        pass
    parsed = _parse_yaml(text)
    # Cached only if JSON gives back exactly this (no dates, no non-string keys): every
    # process must see the same facts, whether it parsed the YAML or read the cache.
    with contextlib.suppress(TypeError, ValueError):
        dumped = json.dumps(parsed, sort_keys=True)
        if json.loads(dumped) == parsed:
            with contextlib.suppress(OSError):  # a read-only cache only costs speed
                _write_atomically(cached, dumped)
    return parsed
