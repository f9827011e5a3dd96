"""Butane YAML → Ignition JSON, matching the upstream `butane` tool.

Variants fcos 1.0.0–1.6.0 (Ignition 3.0.0–3.5.0) and flatcar 1.0.0–1.1.0 (3.3.0/3.4.0).
Output is byte-identical to Butane's except for gzip payload bytes (same content).

    from typhoon_tf.butane import translate, serialize
    config = translate(text, strict=True, files_dir="files")
    print(serialize(config))

Every problem with the input raises `typhoon_tf.errors.UserError` with file, line,
column and YAML key path; nothing else escapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typhoon_tf.butane.capabilities import SPECS, supported_versions
from typhoon_tf.butane.gojson import dumps as _dumps
from typhoon_tf.butane.pipeline import TranslationResult
from typhoon_tf.butane.report import Diagnostic

__all__ = [
    "Diagnostic",
    "TranslationResult",
    "SPECS",
    "serialize",
    "supported_versions",
    "translate",
    "translate_to_json",
    "translate_with_warnings",
]


def translate_with_warnings(
    text: str,
    *,
    strict: bool = False,
    files_dir: str | Path | None = None,
    source_name: str = "<stdin>",
    strict_flag: str | None = None,
) -> TranslationResult:
    """Translate and return the config plus the warnings (empty when `strict`); an error
    for a warning names `strict_flag` (the CLI's `--strict`) when given."""
    from typhoon_tf.butane.pipeline import run
    from typhoon_tf.errors import UserError

    if not isinstance(text, str):
        raise UserError("Butane config must be text", file=source_name)
    try:
        return run(
            text,
            strict=strict,
            files_dir=str(files_dir) if files_dir is not None else None,
            source_name=source_name,
            strict_flag=strict_flag,
        )
    except RecursionError:
        raise UserError("config is nested too deeply", file=source_name) from None


def translate(
    text: str,
    *,
    strict: bool = False,
    files_dir: str | Path | None = None,
    source_name: str = "<stdin>",
) -> dict[str, Any]:
    """Translate Butane YAML to an Ignition config dict (keys in Butane's order)."""
    return translate_with_warnings(
        text, strict=strict, files_dir=files_dir, source_name=source_name
    ).config


def serialize(config: dict[str, Any], pretty: bool = False) -> str:
    """Go encoding/json text of `config` (no trailing newline), as Butane prints it."""
    return _dumps(config, pretty=pretty)


def translate_to_json(
    text: str,
    *,
    strict: bool = False,
    pretty: bool = False,
    files_dir: str | Path | None = None,
    source_name: str = "<stdin>",
) -> str:
    return serialize(
        translate(text, strict=strict, files_dir=files_dir, source_name=source_name), pretty
    )
