"""Read the settings preflight needs from a root module: platform, SSH key, DNS zone, region.

`typhoon-tf generate` writes them as literals into `main.tf` (a `provider` block and one
`module` block); a hand-edited root may instead use `var.x`, resolved here through
`*.tfvars` files and variable defaults the way Terraform does. python-hcl2 (a runtime
dependency, imported on first use so other commands do not pay for lark) parses the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typhoon_tf.errors import UserError
from typhoon_tf.inputs import CONFIG_LIMIT, load_json, read_text

# (block type, first label) -> attributes with literal or `var.` values
Blocks = list[tuple[str, str, dict[str, Any]]]

_VAR_REF = re.compile(r"^\$?\{?var\.([A-Za-z_][A-Za-z0-9_-]*)\}?$")
_PLATFORM_BY_PROVIDER = {
    "aws": "aws",
    "google": "google-cloud",
    "azurerm": "azure",
    "digitalocean": "digital-ocean",
    "matchbox": "bare-metal",
}


@dataclass(frozen=True)
class VarRef:
    name: str


@dataclass
class RootSettings:
    directory: Path
    platform: str | None = None
    module_source: str | None = None
    cluster: dict[str, Any] = field(default_factory=dict)  # the cluster module's arguments
    provider: dict[str, Any] = field(default_factory=dict)  # the platform provider's arguments

    def get(self, name: str) -> Any:
        return self.cluster.get(name)


# -- python-hcl2 ------------------------------------------------------------------------
# python-hcl2 (a maintained HCL2 parser on lark) returns attribute values as Terraform wrote
# them: strings keep their quotes ('"x"'), references are '${var.x}', heredocs are quoted
# with their markers. Only literals and whole `var.` references matter to preflight; any
# other expression is None ("not known before plan").


def _hcl2_value(raw: Any) -> Any:
    if isinstance(raw, list):
        return [_hcl2_value(item) for item in raw]
    if isinstance(raw, bool | int | float):
        return raw
    if not isinstance(raw, str):
        return None  # objects and other expressions: nothing preflight reads
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        inner = raw[1:-1]
        match = _VAR_REF.match(inner)
        if match and inner.startswith("${"):
            return VarRef(match.group(1))
        if "${" in inner or inner.startswith("<<"):
            return None  # a template or heredoc: not a literal
        try:
            return json.loads(raw)
        except ValueError:
            return None
    match = _VAR_REF.match(raw)
    return VarRef(match.group(1)) if match else None


def _hcl2() -> Any:
    try:
        import hcl2
    except ImportError:  # a core dependency; missing only in a broken environment
        from typhoon_tf.install_hint import install_command

        raise UserError(
            f"reading the root module needs python-hcl2: {install_command('verify')}"
        ) from None
    return hcl2


def _parse(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = _hcl2().loads(text)
    return parsed


def _blocks(text: str) -> Blocks:
    doc = _parse(text)
    blocks: Blocks = []
    for block_type in ("provider", "module", "variable"):
        for entry in doc.get(block_type, []):
            for label, body in entry.items():
                attrs = {k: _hcl2_value(v) for k, v in body.items() if not k.startswith("__")}
                blocks.append((block_type, label.strip('"'), attrs))
    return blocks


# -- variables ---------------------------------------------------------------------------


def _tfvars_files(directory: Path) -> Iterable[Path]:
    # Terraform's order: terraform.tfvars(.json), then *.auto.tfvars(.json) by name.
    for name in ("terraform.tfvars", "terraform.tfvars.json"):
        if (directory / name).is_file():
            yield directory / name
    yield from sorted(
        p for p in directory.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )


def _variable_values(directory: Path, blocks: Blocks) -> dict[str, Any]:
    values = {name: attrs.get("default") for kind, name, attrs in blocks if kind == "variable"}
    for path in _tfvars_files(directory):
        try:
            values.update(_tfvars_values(path))
        except UserError:
            raise
        except Exception as err:  # unreadable file, bad JSON, or the parser's own errors
            raise UserError(f"cannot read variable values: {err}", file=str(path)) from None
    return values


def _tfvars_values(path: Path) -> dict[str, Any]:
    # The shared safe reader: a FIFO or a huge *.auto.tfvars must not hang the driver.
    text = read_text(path, limit=CONFIG_LIMIT, what="variable values")
    if path.suffix == ".json":
        loaded = load_json(text, str(path))
        if not isinstance(loaded, dict):
            raise ValueError("a .tfvars.json file must hold a JSON object")
        return {k: v for k, v in loaded.items() if isinstance(v, str | int | bool | list)}
    # A tfvars file is a body of attributes: what python-hcl2 returns for it.
    return {k: _hcl2_value(v) for k, v in _parse(text).items() if not k.startswith("__")}


def _is_cluster_module(attrs: dict[str, Any]) -> bool:
    source = attrs.get("source")
    generated = isinstance(source, str) and source.startswith("./modules/")
    return generated or "ssh_authorized_key" in attrs or "ssh_fingerprints" in attrs


def _resolve(value: Any, variables: dict[str, Any]) -> Any:
    return variables.get(value.name) if isinstance(value, VarRef) else value


def read_root_settings(directory: Path) -> RootSettings:
    """Settings of the root module in `directory`; `UserError` when it is not one."""
    tf_files = sorted(directory.glob("*.tf"))
    if not tf_files:
        raise UserError(f"{directory}: no *.tf files here (is this a generated root module?)")
    blocks: Blocks = []
    for path in tf_files:
        text = read_text(path, limit=CONFIG_LIMIT, what="Terraform file")
        try:
            blocks.extend(_blocks(text))
        except UserError:
            raise
        except Exception as err:  # lark's parse errors, whose types vary by version
            raise UserError(f"cannot parse: {_one_line(err)}", file=str(path)) from None
    variables = _variable_values(directory, blocks)
    settings = RootSettings(directory)
    for kind, name, attrs in blocks:
        if kind == "provider" and name in _PLATFORM_BY_PROVIDER and settings.platform is None:
            settings.platform = _PLATFORM_BY_PROVIDER[name]
            settings.provider = {k: _resolve(v, variables) for k, v in attrs.items()}
        elif kind == "module" and _is_cluster_module(attrs) and not settings.cluster:
            settings.module_source = attrs.get("source")
            settings.cluster = {k: _resolve(v, variables) for k, v in attrs.items()}
    if settings.platform is None and isinstance(settings.module_source, str):
        parts = settings.module_source.split("/")
        settings.platform = next((p for p in parts if p in _PLATFORM_BY_PROVIDER.values()), None)
    return settings


def _one_line(err: Exception) -> str:
    # lark's messages span lines (the offending source and a caret): keep the first.
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__
