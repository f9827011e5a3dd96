"""Validate an Ignition config the way Ignition does: structure, then semantics.

`validate(config)` returns the errors (and, on request, the warnings) for configs of
spec 3.0.0–3.5.0 and 2.3.0. Structure is checked against the shipped JSON Schema of the
config's own version; only when that passes do the semantic rules run (Ignition, too,
stops at a type error). Unknown keys are warnings, as in Ignition.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from typhoon_tf.errors import UserError
from typhoon_tf.ignition.problem import KeyPath, Problem
from typhoon_tf.ignition.semantic2 import check_spec2
from typhoon_tf.ignition.semantic3 import check_spec3
from typhoon_tf.ignition.specrules import DEFAULT_RELEASE, Release

SPEC3_VERSIONS = ("3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0")
SPEC2_VERSIONS = ("2.3.0",)
SUPPORTED_VERSIONS = SPEC3_VERSIONS + SPEC2_VERSIONS
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")


@cache
def load_schema(version: str) -> dict[str, Any]:
    """The shipped JSON Schema for a supported spec version."""
    text = resources.files("typhoon_tf.ignition.schemas").joinpath(f"ignition-{version}.json")
    schema: dict[str, Any] = json.loads(text.read_text())
    return schema


@cache
def _validator(version: str) -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(load_schema(version))


def config_version(config: object) -> str | Problem:
    """The config's spec version, or the problem that stops Ignition reading it."""
    if not isinstance(config, dict):
        return Problem((), "config must be a JSON object")
    ignition = config.get("ignition")
    version = ignition.get("version") if isinstance(ignition, dict) else None
    if not isinstance(version, str) or not _SEMVER.match(version):
        return Problem(("ignition", "version"), "invalid config version (couldn't parse)")
    if version not in SUPPORTED_VERSIONS:
        return Problem(
            ("ignition", "version"),
            f"unsupported config version {version!r} (supported: {', '.join(SUPPORTED_VERSIONS)})",
        )
    return version


def validate(
    config: object, *, warnings: bool = False, release: Release = DEFAULT_RELEASE
) -> list[Problem]:
    """Problems with `config`; it is valid when no problem is an error.

    With `warnings=False` (the default) only errors are returned, so an empty list
    means valid. `release` picks the Ignition release whose rules apply (newer
    releases check old spec versions more strictly; see `specrules`).
    """
    version = config_version(config)
    if isinstance(version, Problem):
        return [version]
    assert isinstance(config, dict)  # config_version returns a Problem for anything else
    problems = schema_problems(config, version)
    if not problems:
        schema = load_schema(version)
        # Fields the version does not define are ignored by Ignition (with a warning),
        # so the semantic rules must not see them either.
        known = known_keys_only(config, schema)
        if version in SPEC2_VERSIONS:
            problems = check_spec2(known, version)
        else:
            problems = check_spec3(known, version, release=release)
        problems += unknown_keys(config, schema)
    ordered = sorted(set(problems), key=lambda p: (_sort_key(p.path), p.message))
    return [p for p in ordered if warnings or p.is_error]


def is_valid(config: object) -> bool:
    return not validate(config)


def check(config: object, *, source: str = "<config>") -> None:
    """Raise `UserError` for the first error in `config` (naming `source` and the key path)."""
    errors = validate(config)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise UserError(
            f"invalid Ignition config: {first.message}{more}", file=source, path=first.key_path
        )


def schema_problems(config: dict[str, Any], version: str) -> list[Problem]:
    problems = []
    for err in _validator(version).iter_errors(config):
        problems.append(Problem(tuple(err.absolute_path), _schema_message(err)))
    return problems


def _schema_message(err: jsonschema.ValidationError) -> str:
    if err.validator == "type":
        expected: Any = err.validator_value
        kinds: list[str] = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(k for k in kinds if k != "null")
        return f"must be {wanted}, not {_json_kind(err.instance)}"
    if err.validator == "required":
        return err.message.replace(" is a required property", " is required")
    return err.message


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def unknown_keys(value: Any, schema: dict[str, Any], path: KeyPath = ()) -> list[Problem]:
    """Ignition's "Unused key" warnings: keys the spec version does not define."""
    found: list[Problem] = []
    properties = schema.get("properties")
    if isinstance(value, dict) and properties is not None:
        for key, child in value.items():
            if key in properties:
                found += unknown_keys(child, properties[key], path + (key,))
            else:
                found.append(Problem(path + (key,), f"Unused key {key}", "warning"))
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += unknown_keys(item, schema["items"], path + (i,))
    return found


def _sort_key(path: KeyPath) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{p:09d}") if isinstance(p, int) else (1, p) for p in path)


def known_keys_only(value: Any, schema: dict[str, Any]) -> Any:
    """A copy of `value` without the keys `schema` does not define."""
    properties = schema.get("properties")
    if isinstance(value, dict) and properties is not None:
        return {
            key: known_keys_only(child, properties[key])
            for key, child in value.items()
            if key in properties
        }
    if isinstance(value, list) and "items" in schema:
        return [known_keys_only(item, schema["items"]) for item in value]
    return value
