"""Load a cluster config: YAML → schema validation → cross-field checks → ClusterConfig.

Every problem becomes one `UserError` naming the file, the key path and the line.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import os
import re
import struct
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from typhoon_tf.config.model import ROLES, ClusterConfig, Snippet
from typhoon_tf.config.pools import read_worker_pools
from typhoon_tf.config.schema import (
    IGNITION_VERSIONS,
    document_schema,
    module_variables_schema,
)
from typhoon_tf.config.snippet_version import newer_snippet_problem
from typhoon_tf.errors import UserError
from typhoon_tf.inputs import CONFIG_LIMIT, DOCUMENT_LIMIT, InputError, display_name, read_text
from typhoon_tf.platforms import DNS_LABEL_MAX, load_platform
from typhoon_tf.yamlsrc import KeyPath, SourcedYAML, load_yaml

DNS_LABEL = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
SSH_KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
CIDR_VARIABLES = ("host_cidr", "pod_cidr", "service_cidr")
_JSON_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def load_cluster_config(path: str | Path, *, os_override: str | None = None) -> ClusterConfig:
    """Read and validate the cluster config at `path` (with `os` replaced when given)."""
    path = Path(path)
    text = read_text(path, limit=CONFIG_LIMIT, what="cluster config")
    return parse_cluster_config(
        text, file=display_name(path), base_dir=path.parent, os_override=os_override
    )


def example_config(platform: str, os_name: str | None = None) -> ClusterConfig:
    """The embedded example cluster for `platform` (what `generate` uses without `-c`)."""
    ref = resources.files("typhoon_tf.config").joinpath("examples", f"{platform}.yaml")
    if not ref.is_file():
        raise UserError(f"no embedded example for platform {platform!r}")
    return parse_cluster_config(
        ref.read_text(), file=f"<example {platform}.yaml>", base_dir=None, os_override=os_name
    )


def parse_cluster_config(
    text: str, *, file: str, base_dir: Path | None, os_override: str | None = None
) -> ClusterConfig:
    """Validate a cluster config; `os_override` (e.g. `--os`) replaces `os` *before* the
    checks, so the other OS's variables and Ignition versions are validated too."""
    doc = load_yaml(text, file)
    if not isinstance(doc.value, dict):
        raise doc.error((), "the cluster config must be a mapping (platform, os, cluster, ...)")
    if os_override is not None:
        doc.value["os"] = os_override
    _check_schema(doc, doc.value, document_schema(), ())
    raw: dict[str, Any] = doc.value
    platform, os_name = raw["platform"], raw["os"]
    _check_schema(doc, raw["cluster"], module_variables_schema(platform, os_name), ("cluster",))
    variables: dict[str, Any] = raw["cluster"]
    _check_ignition_version(doc, raw.get("ignition_version"), os_name)
    _check_cross_fields(doc, platform, variables)
    node_version = _node_ignition_version(raw, os_name)
    pools = read_worker_pools(doc, raw, _check_schema, node_version)
    return ClusterConfig(
        platform=platform,
        os=os_name,
        name=raw.get("name") or variables["cluster_name"].replace("-", "_"),
        variables=variables,
        source=file,
        ignition_version=raw.get("ignition_version"),
        provider=raw.get("provider", {}),
        snippets=_read_snippets(doc, raw.get("snippets", {}), base_dir, node_version, os_name),
        coordinated_updates=raw.get("coordinated_updates", False),
        worker_pools=pools,
    )


def _check_schema(doc: SourcedYAML, value: Any, schema: dict[str, Any], at: KeyPath) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.path])
    if errors:
        err = errors[0]
        path: KeyPath = (*at, *err.path)
        message, path = _describe(err, path)
        raise doc.error(path, message)


def _describe(err: jsonschema.ValidationError, path: KeyPath) -> tuple[str, KeyPath]:
    """Turn a jsonschema error into wording a user understands (and the most precise path)."""
    kind: Any = err.validator
    wanted: Any = err.validator_value
    schema: Any = err.schema
    instance: Any = err.instance
    if kind == "additionalProperties":
        known = schema.get("properties", {})
        extra = sorted(set(instance) - set(known))
        return f"unknown key {extra[0]!r}{did_you_mean(extra[0], known)}", (*path, extra[0])
    if kind == "required":
        missing = [k for k in wanted if k not in instance]
        return f"missing required key {missing[0]!r}", path
    if kind == "type":
        types = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_JSON_TYPE_NAMES.get(t, str(t)) for t in types)
        return f"expected {names}, got {_json_type(err.instance)}", path
    if kind == "enum":
        choices = ", ".join("null" if c is None else str(c) for c in wanted)
        return f"{err.instance!r} is not one of: {choices}", path
    if kind == "pattern" and "propertyNames" in err.schema_path:
        name = str(instance)
        return (
            f"{name!r} is not a valid argument name (letters, digits, '_' and '-', "
            "starting with a letter or '_')",
            (*path, name),
        )
    if kind == "pattern":
        return f"{err.instance!r} does not match {wanted}", path
    if kind == "minimum":
        return f"must be at least {_number(wanted)}, got {_number(instance)}", path
    if kind == "maximum":
        return f"must be at most {_number(wanted)}, got {_number(instance)}", path
    if kind == "multipleOf":
        return f"must be a whole number, got {_number(instance)}", path
    return err.message, path


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """`; did you mean `worker_count`?` for the nearest known key, or "" when none is near."""
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _number(value: object) -> str:
    """A number as the user wrote it (whole floats without `.0`), shortened when huge."""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return text if len(text) <= 24 else f"{text[:20]}... ({len(text)} digits)"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _check_ignition_version(doc: SourcedYAML, version: str | None, os_name: str) -> None:
    if version is not None and version not in IGNITION_VERSIONS[os_name]:
        choices = ", ".join(IGNITION_VERSIONS[os_name])
        raise doc.error(
            ("ignition_version",), f"{os_name} nodes support Ignition {choices}, not {version}"
        )


def _check_cross_fields(doc: SourcedYAML, platform: str, variables: dict[str, Any]) -> None:
    desc = load_platform(platform)
    name = variables["cluster_name"]
    max_len = int(desc.extra.get("cluster_name_max_length", DNS_LABEL_MAX))
    if not DNS_LABEL.match(name) or len(name) > max_len:
        raise doc.error(
            ("cluster", "cluster_name"),
            f"{name!r} must be a DNS label of at most {max_len} characters "
            "(lowercase letters, digits, '-'; starts with a letter)",
        )
    for key in ("controller_count", "worker_count"):
        value = variables.get(key)
        if value is not None and not _is_whole_number(value):
            raise doc.error(("cluster", key), "must be a whole number")
    if variables.get("controller_count", 1) < 1:
        raise doc.error(("cluster", "controller_count"), "at least 1 controller is required")
    if variables.get("worker_count", 0) < 0:
        raise doc.error(("cluster", "worker_count"), "must not be negative")
    _check_cidrs(doc, platform, variables)
    if "ssh_authorized_key" in variables:
        problem = ssh_public_key_problem(variables["ssh_authorized_key"])
        if problem:
            raise doc.error(("cluster", "ssh_authorized_key"), problem)


def _is_whole_number(value: object) -> bool:
    # .inf and .nan are YAML floats too: a bare int() on them would raise.
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _check_cidrs(doc: SourcedYAML, platform: str, variables: dict[str, Any]) -> None:
    desc = load_platform(platform)
    networks: dict[str, ipaddress.IPv4Network | ipaddress.IPv6Network] = {}
    for key in CIDR_VARIABLES:
        try:
            default = desc.variable(key).default
        except KeyError:
            continue
        value: Any = variables.get(key, default)  # ip_network's ValueError checks it
        try:
            networks[key] = ipaddress.ip_network(value, strict=True)
        except ValueError as err:
            raise doc.error(("cluster", key), f"{value!r} is not a valid CIDR: {err}") from None
    keys = list(networks)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if networks[a].version == networks[b].version and networks[a].overlaps(networks[b]):
                raise doc.error(
                    ("cluster", b if b in variables else a),
                    f"{b} {networks[b]} overlaps {a} {networks[a]}",
                )


def ssh_public_key_problem(key: str) -> str | None:
    """Why `key` is not an OpenSSH public key line, or None when it looks right."""
    lines = key.strip().splitlines()
    if len(lines) > 1:
        # Typhoon takes one key; a second line would reach authorized_keys unchecked.
        return f"expected one public key on one line, got {len(lines)} lines"
    parts = key.strip().split()
    if len(parts) < 2:
        return "expected an OpenSSH public key like 'ssh-ed25519 AAAA... comment'"
    key_type, blob = parts[0], parts[1]
    if key_type not in SSH_KEY_TYPES:
        return f"unsupported SSH key type {key_type!r} (a private key or a typo?)"
    try:
        raw = base64.b64decode(blob, validate=True)
        (length,) = struct.unpack(">I", raw[:4])
        embedded = raw[4 : 4 + length].decode("ascii")
    except (binascii.Error, struct.error, ValueError):
        return "the key data is not valid base64 of an SSH public key"
    if embedded != key_type:
        return f"the key data is a {embedded!r} key but the line says {key_type!r}"
    return None


def _node_ignition_version(raw: dict[str, Any], os_name: str) -> str:
    from typhoon_tf.nodes.profiles import OS_PROFILES  # nodes imports config: import late

    version = raw.get("ignition_version")
    return str(version) if version else OS_PROFILES[os_name].default_ignition_version


def _read_snippets(
    doc: SourcedYAML,
    raw: dict[str, list[str]],
    base_dir: Path | None,
    node_version: str,
    os_name: str,
) -> dict[str, tuple[Snippet, ...]]:
    snippets: dict[str, tuple[Snippet, ...]] = {}
    for role in ROLES:
        read = []
        for i, rel in enumerate(raw.get(role, [])):
            if base_dir is None:
                raise doc.error(("snippets", role, i), "snippet files need a config file on disk")
            # Not resolve(): a symlink loop or a NUL byte must reach the reader's clear error.
            path = Path(os.path.abspath(base_dir / rel)) if "\x00" not in rel else base_dir / rel
            try:
                text = read_text(path, limit=DOCUMENT_LIMIT, what="snippet")
            except InputError as err:
                raise doc.error(
                    ("snippets", role, i), f"cannot read snippet {rel!r}: {err.reason}"
                ) from None
            problem = newer_snippet_problem(text, node_version, os_name, "the cluster config")
            if problem:
                raise doc.error(("snippets", role, i), f"{rel!r}: {problem}")
            # Named as the user reaches it (config dir + entry, relative when they were),
            # not as an absolute path: errors in the snippet then read like the config.
            shown = os.path.normpath(base_dir / rel) if "\x00" not in rel else str(path)
            read.append(Snippet(source=display_name(shown), text=text))
        snippets[role] = tuple(read)
    return snippets
