"""The translation pipeline: parse → pick spec → decode/schema check → Butane checks →
translate → sugar (trees, mount units, boot_device, grub) → Ignition validation."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

from typhoon_tf.butane.capabilities import SPECS, Spec
from typhoon_tf.butane.checks import check_source
from typhoon_tf.butane.decode import Decoder, Obj
from typhoon_tf.butane.ignvalidate import check_ignition
from typhoon_tf.butane.report import Diagnostic, Report
from typhoon_tf.butane.translate import Translator
from typhoon_tf.butane.yamlparse import YNode, is_null, mark_of, parse_yaml, scalar_tag
from typhoon_tf.ignition.specrules import DEFAULT_RELEASE, Release

_SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\Z"
)


class TranslationResult(NamedTuple):
    """The Ignition config (a dict in Butane's key order) and the warnings found."""

    config: dict[str, Any]
    warnings: list[Diagnostic]


class Unchecked(NamedTuple):
    """A translated config before Ignition's rules ran (for differential testing)."""

    config: dict[str, Any]
    translator: Translator
    report: Report


def translate_unchecked(text: str, files_dir: str | None, source_name: str) -> Unchecked:
    report = Report(source_name)
    root_node = parse_yaml(text, source_name)
    spec = select_spec(root_node, report)
    assert root_node is not None  # select_spec rejects empty documents
    root = Decoder(spec, report).decode_struct(root_node, "Config", ())
    check_source(root, spec, report)
    translator = Translator(spec, report, files_dir)
    config = translator.config(root)
    return Unchecked(_apply_sugar(root, config, translator), translator, report)


def check_unchecked(unchecked: Unchecked, release: Release = DEFAULT_RELEASE) -> None:
    """Ignition's validation rules (those of Ignition `release`), reported against the YAML."""
    translator = unchecked.translator
    check_ignition(unchecked.config, translator.spec, translator.origins, unchecked.report, release)


# Why a warning stops a strict translation, for callers that have no `--strict` flag to name
# (generate-time snippets, the external program, node templates).
STRICT_BY_DESIGN = "snippets and node configs must translate without warnings"


def run(
    text: str,
    *,
    strict: bool,
    files_dir: str | None,
    source_name: str,
    strict_flag: str | None = None,
) -> TranslationResult:
    """`strict_flag` names the option that made warnings errors (`--strict` in the butane
    command); without one the message says warnings are never accepted there."""
    unchecked = translate_unchecked(text, files_dir, source_name)
    check_unchecked(unchecked)
    config, report = unchecked.config, unchecked.report
    if strict and report.warnings:
        first = report.warnings[0]
        more = len(report.warnings) - 1
        why = f"warnings are errors with {strict_flag}" if strict_flag else STRICT_BY_DESIGN
        suffix = f" ({why}" + (f"; {more} more warning{'s' if more > 1 else ''})" if more else ")")
        raise first.to_error(suffix)
    return TranslationResult(config, list(report.warnings))


def select_spec(root: YNode | None, report: Report) -> Spec:
    if root is None:
        raise report.fail("error parsing variant; must be specified")
    root_mark = mark_of(root)
    if not isinstance(root, yaml.MappingNode):
        raise report.fail(
            f"cannot unmarshal {scalar_tag(root)} into a Butane config", (), root_mark
        )
    fields: dict[str, YNode] = {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value in ("variant", "version"):
            fields.setdefault(key.value, value)
    variant_node = fields.get("variant")
    if variant_node is None or is_null(variant_node) or not variant_node.value:
        raise report.fail("error parsing variant; must be specified", ("variant",), root_mark)
    if not isinstance(variant_node, yaml.ScalarNode):
        raise report.fail(
            f"cannot unmarshal {scalar_tag(variant_node)} into string",
            ("variant",),
            mark_of(variant_node),
        )
    version_node = fields.get("version")
    if not isinstance(version_node, yaml.ScalarNode) or is_null(version_node):
        mark = mark_of(version_node) if version_node is not None else root_mark
        raise report.fail("error parsing version; must be a valid semver", ("version",), mark)
    if _SEMVER.match(version_node.value) is None:
        raise report.fail(
            "error parsing version; must be a valid semver", ("version",), mark_of(version_node)
        )
    variant, version = variant_node.value, version_node.value
    spec = SPECS.get((variant, version))
    if spec is None:
        raise report.fail(
            f"No translator exists for variant {variant} with version {version}",
            ("version",),
            mark_of(version_node),
        )
    return spec


def _apply_sugar(root: Obj, config: dict[str, Any], translator: Translator) -> dict[str, Any]:
    # Each piece of sugar's module is imported only when a config uses it: node configs and
    # snippets seldom do, and every `typhoon-tf butane` / `external butane` start-up pays
    # for what is imported at module level.
    storage = root.obj("storage")
    trees = storage.objs("trees") if storage else []
    if trees:
        from typhoon_tf.butane.trees import expand_trees

        expand_trees(trees, config, translator)
    units = []
    luks = storage.objs("luks") if storage else []
    for fs in storage.objs("filesystems") if storage else []:
        if fs.get("with_mount_unit"):
            from typhoon_tf.butane.mountunits import mount_unit

            unit = mount_unit(fs, luks)
            translator.origins.add(unit, fs, "")
            units.append(unit)
    if units:
        from typhoon_tf.butane.merge import merge_configs

        generated: dict[str, Any] = {
            "ignition": {"version": translator.spec.ignition_version},
            "systemd": {"units": units},
        }
        config = merge_configs(generated, config, translator.origins)
    boot, grub = root.obj("boot_device"), root.obj("grub")
    if boot is None and grub is None:
        return config
    from typhoon_tf.butane.bootdevice import render_boot_device, render_grub
    from typhoon_tf.butane.merge import merge_configs

    if boot is not None:
        rendered = render_boot_device(boot, translator)
        if rendered is not None:
            config = merge_configs(rendered, config, translator.origins)
    if grub is not None:
        rendered = render_grub(grub, translator, translator.spec)
        if rendered is not None:
            config = merge_configs(rendered, config, translator.origins)
    return config
