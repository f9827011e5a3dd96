"""Whether a Butane snippet fits a node config's Ignition version, and how to fix it if not.

Ignition cannot merge a child config of a newer spec than its own, so a snippet written in
a newer Butane version than the node's would break the node at first boot. Both snippet
paths (cluster.yaml at generate time, Terraform variables through `external butane`) check
it here, before translating, and say which top-level `ignition_version` would work.
"""

from __future__ import annotations

from typhoon_tf.config.ignition_versions import IGNITION_VERSIONS

# The Butane variant each node OS takes.
VARIANT_OS = {"fcos": "fedora-coreos", "flatcar": "flatcar-linux"}
# Spec-2 node configs are built as this spec-3 version, merged, then down-converted.
SPEC2_MERGE_VERSION = "3.3.0"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-")[0].split(".") if part.isdigit())


def declared_butane(text: str) -> tuple[str, str] | None:
    """The (variant, version) a Butane document names at its top level, if it names both."""
    from typhoon_tf.butane.variant import declared_spec

    variant, version = declared_spec(text)
    return (variant, version) if variant is not None and version is not None else None


def newer_snippet_problem(text: str, node_version: str, os_name: str, where: str) -> str | None:
    """Why the snippet's Ignition version is too new for `node_version`, or None.

    `where` tells the user where the node's version is set (e.g. "the cluster config").
    """
    from typhoon_tf.butane.capabilities import SPECS

    declared = declared_butane(text)
    spec = SPECS.get(declared) if declared else None
    if spec is None:
        return None  # an unknown variant/version is the translator's error to report
    merge_version = SPEC2_MERGE_VERSION if node_version.startswith("2.") else node_version
    if version_key(spec.ignition_version) <= version_key(merge_version):
        return None
    newer = [
        v
        for v in IGNITION_VERSIONS.get(os_name, [])
        if not v.startswith("2.") and version_key(v) >= version_key(spec.ignition_version)
    ]
    older = [
        s.version
        for s in SPECS.values()
        if s.variant == spec.variant
        and version_key(s.ignition_version) <= version_key(merge_version)
    ]
    fixes = []
    if newer:
        fixes.append(f"set the top-level `ignition_version` to {' or '.join(newer)} in {where}")
    if older:
        fixes.append(f"write the snippet as `version: {max(older, key=version_key)}` or older")
    fix = ", or ".join(fixes) or "no node config version can merge it"
    return (
        f"the snippet is Butane {spec.variant} {spec.version}, which gives Ignition "
        f"{spec.ignition_version}, newer than the node config's {node_version}: {fix}"
    )
