"""Ignition's validation of Butane's output, reported against the user's YAML.

Butane validates its output with Ignition's rules and maps each finding back to a
YAML path. The rules are the project's one rule book (`ignition.semantic3`, the same
one `typhoon-tf ignition validate` uses); this module only runs it with the spec
version the Butane version emits and translates key paths through `Origins`.
"""

from __future__ import annotations

from typing import Any

from typhoon_tf.butane.capabilities import Spec
from typhoon_tf.butane.igntypes import YAML_KEYS
from typhoon_tf.butane.report import Mark, Report, YPath
from typhoon_tf.butane.translate import Origins
from typhoon_tf.ignition.problem import KeyPath, Problem
from typhoon_tf.ignition.semantic3 import check_spec3
from typhoon_tf.ignition.specrules import DEFAULT_RELEASE, Release, rules_for

# Where a source the user did not write as `source:` came from in the YAML.
_ALTERNATIVE_KEYS = {"source": ("inline", "local"), "contents": ("contents_local",)}


def check_ignition(
    config: dict[str, Any],
    spec: Spec,
    origins: Origins,
    report: Report,
    release: Release = DEFAULT_RELEASE,
) -> None:
    """Warn about each warning, raise the first error (as Butane does).

    `release`: whose rules apply; Butane v0.23.0 vendors Ignition 2.20.0 (the default).
    """
    version = spec.ignition_version

    def built_here(res: dict[str, Any]) -> bool:
        # A data URL we encoded from inline/local data is valid by construction.
        origin = origins.get(res)
        return origin is not None and not origin[0].has("source")

    problems = check_spec3(config, version, release=release, trusted=built_here)
    problems += _unused_reference_compression(config, version)
    errors = [p for p in problems if p.is_error]
    if errors:
        path, mark = _locate(config, errors[0], origins)
        raise report.fail(errors[0].message, path, mark)
    for problem in problems:
        path, mark = _locate(config, problem, origins)
        report.warn(problem.message, path, mark)


def _unused_reference_compression(config: dict[str, Any], version: str) -> list[Problem]:
    """3.0's config and CA references have no `compression`, which every Butane version
    accepts: Ignition reports the key as unused (a warning, so `--strict` fails)."""
    if rules_for(version).references_are_resources:
        return []
    ignition = config.get("ignition", {})
    refs: list[tuple[KeyPath, Any]] = []
    merge_config = ignition.get("config", {})
    refs += [
        (("ignition", "config", "merge", i), r) for i, r in enumerate(merge_config.get("merge", []))
    ]
    if "replace" in merge_config:
        refs.append((("ignition", "config", "replace"), merge_config["replace"]))
    cas_path: KeyPath = ("ignition", "security", "tls", "certificateAuthorities")
    cas = ignition.get("security", {}).get("tls", {}).get("certificateAuthorities", [])
    refs += [(cas_path + (i,), r) for i, r in enumerate(cas)]
    return [
        Problem(path + ("compression",), "Unused key compression", "warning")
        for path, ref in refs
        if "compression" in ref
    ]


def _locate(
    config: dict[str, Any], problem: Problem, origins: Origins
) -> tuple[YPath, Mark | None]:
    """The YAML path and mark of the deepest object on the problem's key path that the
    translator knows the origin of, narrowed to the offending key when it has one."""
    owner, rest = _deepest_known(config, problem.path, origins)
    if owner is None:
        return (), None
    origin = origins.get(owner)
    assert origin is not None
    obj, itype = origin
    jkey = rest[0] if rest and isinstance(rest[0], str) else None
    if jkey is None:
        return obj.path, obj.mark
    ykey = YAML_KEYS.get((itype, jkey), jkey)
    for candidate in (ykey, *_ALTERNATIVE_KEYS.get(jkey, ())):
        if obj.has(candidate):
            return obj.where(candidate)
    return obj.path, obj.mark


def _deepest_known(
    config: dict[str, Any], path: KeyPath, origins: Origins
) -> tuple[dict[str, Any] | None, KeyPath]:
    node: Any = config
    best: dict[str, Any] | None = config if origins.get(config) is not None else None
    rest: KeyPath = path
    for depth, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and origins.get(node) is not None:
            best, rest = node, path[depth + 1 :]
    return best, rest
