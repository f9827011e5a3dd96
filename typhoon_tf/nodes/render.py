"""Node configs as Ignition: fully rendered for given values, or as a template with holes.

Both paths share one pipeline: Butane template -> our transpiler -> (2.3.0 down-conversion)
so the template and the rendered config cannot drift apart.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from typhoon_tf.butane.variant import declared_variant
from typhoon_tf.config.model import Snippet
from typhoon_tf.errors import UserError
from typhoon_tf.nodes.butane_doc import NodeKind, NodeOptions, butane_document, resolve
from typhoon_tf.nodes.holes import (
    HOLES,
    SNIPPETS_SENTINEL_URL,
    NodeTemplate,
    SentinelHoles,
    ValueHoles,
    example_values,
    fill_holes,
    instantiate,
)
from typhoon_tf.nodes.profiles import OS_PROFILES, OSProfile

SPEC2 = "2.3.0"


def _source_name(kind: NodeKind) -> str:
    return f"<{kind.platform.name}/{kind.os.name}/{kind.role} node>"


def _translate(butane: str, kind: NodeKind) -> dict[str, Any]:
    from typhoon_tf.butane import translate

    config: dict[str, Any] = translate(butane, strict=True, source_name=_source_name(kind))
    return config


def _with_snippet_urls(config: dict[str, Any], urls: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Add `ignition.config.merge` (spec 3); down-conversion turns it into `append`."""
    ignition = config.setdefault("ignition", {})
    ignition.setdefault("config", {})["merge"] = list(urls)
    return config


def _finish(config: dict[str, Any], kind: NodeKind) -> dict[str, Any]:
    if kind.ignition_version != SPEC2:
        return config
    from typhoon_tf.ignition.downconvert import downconvert

    converted: dict[str, Any] = downconvert(config, SPEC2, source=_source_name(kind))
    return converted


def _with_version(options: NodeOptions | None, version: str | None) -> NodeOptions:
    options = options or NodeOptions()
    return dataclasses.replace(options, ignition_version=version) if version else options


def os_profile(name: str) -> OSProfile:
    """The OS profile called `name` (fedora-coreos, flatcar-linux), or a `UserError`."""
    if name not in OS_PROFILES:
        raise UserError(
            f"unknown os {name!r}; expected one of: {', '.join(OS_PROFILES)}", path="os"
        )
    return OS_PROFILES[name]


def hole_names(
    platform: str, os_name: str, role: str, options: NodeOptions | None = None
) -> list[str]:
    """The apply-time variables this node has, in catalogue order."""
    kind = resolve(platform, os_name, role, options or NodeOptions())
    holes = SentinelHoles()
    butane_document(kind, holes)
    return [*holes.variables(), "snippets"]


def render(
    platform: str,
    os_name: str,
    role: str,
    values: Mapping[str, object] | None = None,
    options: NodeOptions | None = None,
    *,
    ignition_version: str | None = None,
    snippets: Sequence[str | Snippet] = (),
) -> dict[str, Any]:
    """The node's Ignition config with `values` in the holes (documented examples by default).

    `values` may omit holes (their examples are used); unknown names are a `UserError`.
    `snippets` are Butane snippet texts merged now (generate time); the `snippets` hole in
    `values` holds data URLs that Ignition merges at boot.
    """
    options = _with_version(options, ignition_version)
    kind = resolve(platform, os_name, role, options)
    names = hole_names(platform, os_name, role, options)
    merged: dict[str, object] = dict(example_values(names))
    for key, value in (values or {}).items():
        if key not in merged:
            raise UserError(
                f"{kind.platform.name}/{kind.os.name} {kind.role} nodes have no value {key!r}; "
                f"expected one of: {', '.join(names)}",
                path=key,
            )
        merged[key] = value
    holes = ValueHoles(merged)
    config = apply_snippets(
        _translate(butane_document(kind, holes), kind), snippets, variant=kind.os.butane_variant
    )
    urls = HOLES["snippets"].check(merged["snippets"], "snippets")
    config = _with_snippet_urls(config, [{"source": url} for url in urls])
    return _finish(config, kind)


def node_template(
    platform: str,
    os_name: str,
    role: str,
    options: NodeOptions | None = None,
    *,
    ignition_version: str | None = None,
    snippets: Sequence[str | Snippet] = (),
) -> NodeTemplate:
    """The node's Ignition as a Terraform `templatefile()` template with typed holes.

    `snippets` are Butane snippet texts merged at generate time (Ignition merge rules).
    """
    kind = resolve(platform, os_name, role, _with_version(options, ignition_version))
    config, holes = _sentinel_config(kind, snippets)
    variables = holes.variables()
    text = fill_holes(config, holes, example_values(list(variables)))
    return NodeTemplate(text=text, variables=variables, ignition_version=kind.ignition_version)


def _sentinel_config(
    kind: NodeKind, snippets: Sequence[str | Snippet]
) -> tuple[dict[str, Any], SentinelHoles]:
    """The node's Ignition with sentinels where the holes go (see `holes`)."""
    holes = SentinelHoles()
    config = apply_snippets(
        _translate(butane_document(kind, holes), kind), snippets, variant=kind.os.butane_variant
    )
    config = _with_snippet_urls(config, [{"source": SNIPPETS_SENTINEL_URL}])
    holes.used.add("snippets")
    return _finish(config, kind), holes


def user_data_size(
    platform: str,
    os_name: str,
    role: str,
    values: Mapping[str, object],
    options: NodeOptions | None = None,
    *,
    ignition_version: str | None = None,
    snippets: Sequence[str | Snippet] = (),
) -> int:
    """Bytes of the compact user data Terraform renders from the node template for
    `values` (holes not given take their examples)."""
    kind = resolve(platform, os_name, role, _with_version(options, ignition_version))
    config, holes = _sentinel_config(kind, snippets)
    examples = example_values(list(holes.variables()))
    filled = instantiate(config, holes, {**examples, **values}, examples)
    return len(to_json(filled).encode())


# `${name}` in a platform's own Butane template (see `butane_template`).
_INTERPOLATION = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


def butane_template(text: str, *, ignition_version: str, source_name: str) -> tuple[str, list[str]]:
    """A platform's own Butane config (e.g. bare-metal's PXE install config, with `${name}`
    Terraform interpolations) → compact Ignition JSON template, and the variables it uses.

    Each `${name}` becomes an inline hole: it must land inside a JSON string that is not file
    contents, and the caller passes the value JSON-string-escaped
    (`substr(jsonencode(v), 1, length(jsonencode(v)) - 2)`).
    """
    from typhoon_tf.butane import serialize, translate
    from typhoon_tf.ignition.downconvert import downconvert

    holes = SentinelHoles()
    with_sentinels = _INTERPOLATION.sub(lambda m: holes.inline(m.group(1)), text)
    config: dict[str, Any] = translate(with_sentinels, strict=True, source_name=source_name)
    if ignition_version.startswith("2."):
        config = downconvert(config, ignition_version)
    try:
        template = fill_holes(config, holes, {}, dump=serialize)
    except AssertionError as err:
        raise AssertionError(f"{source_name}: {err}") from None
    return template, sorted(set(holes.inline_exprs.values()))


def apply_snippets(
    config: dict[str, Any],
    snippet_texts: Sequence[str | Snippet],
    *,
    variant: str | None = None,
) -> dict[str, Any]:
    """Merge Butane snippets into a rendered spec-3 config with Ignition's merge rules.

    Snippets given at generate time (cluster.yaml) go through here; each must name its
    Butane `variant` (the node OS's, when `variant` is given). Errors name the snippet's
    file when it is a `Snippet`. The result keeps the parent's Ignition version.
    """
    from typhoon_tf.butane import translate
    from typhoon_tf.ignition.merge import merge

    if not snippet_texts:
        return config
    result = copy.deepcopy(config)
    version = result.get("ignition", {}).get("version", "")
    if not str(version).startswith("3."):
        raise UserError("snippets merge into spec 3 configs; down-convert after merging")
    for index, snippet in enumerate(snippet_texts):
        text, name = (
            (snippet, f"<snippet {index}>")
            if isinstance(snippet, str)
            else (snippet.text, snippet.source)
        )
        declared = declared_variant(text)
        if variant is not None and declared is not None and declared != variant:
            raise UserError(
                f"snippet variant {declared!r} does not match the node OS (expected {variant!r})",
                file=name,
                path="variant",
            )
        child = translate(text, strict=True, source_name=name)
        child_version = child["ignition"]["version"]
        if _version_key(child_version) > _version_key(version):
            raise UserError(
                f"the snippet translates to Ignition {child_version}, newer than the node's "
                f"{version}; use an older Butane version or a newer Ignition version",
                file=name,
                path="version",
            )
        result = merge(result, child)
    result["ignition"]["version"] = version
    return result


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-")[0].split("."))


def to_json(config: dict[str, Any], *, pretty: bool = False) -> str:
    """Go encoding/json text of a config, as Butane prints it (no trailing newline)."""
    from typhoon_tf.butane import serialize

    return serialize(config, pretty=pretty)
