"""Read the settings preflight needs from a root module: platform, SSH key, DNS zone, region.

`typhoon-tf generate` writes them as literals into `main.tf` (a `provider` block and one
`module` block); a hand-edited root may instead use `var.x`, resolved here through
`*.tfvars` files and variable defaults the way Terraform does. python-hcl2 parses the files
when it is installed; otherwise a small line scanner reads the top-level blocks (enough for
`terraform fmt`-canonical files: strings, heredocs and comments are skipped correctly).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typhoon_tf.errors import UserError

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


def _hcl2_value(raw: Any) -> Any:
    if isinstance(raw, str):
        if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
            inner = raw[1:-1]
            match = _VAR_REF.match(inner)
            if match and inner.startswith("${"):
                return VarRef(match.group(1))
            return None if "${" in inner else json.loads(raw)
        match = _VAR_REF.match(raw)
        return VarRef(match.group(1)) if match else None
    if isinstance(raw, bool | int | float):
        return raw
    return None


def _blocks_with_hcl2(text: str) -> Blocks:
    import hcl2

    doc = hcl2.loads(text)
    blocks: Blocks = []
    for block_type in ("provider", "module", "variable"):
        for entry in doc.get(block_type, []):
            for label, body in entry.items():
                attrs = {k: _hcl2_value(v) for k, v in body.items() if not k.startswith("__")}
                blocks.append((block_type, label.strip('"'), attrs))
    return blocks


# -- fallback scanner -------------------------------------------------------------------

_BLOCK_HEADER = re.compile(r'^(provider|module|variable)\s+"([^"]+)"\s*\{\s*$')
_ATTRIBUTE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.+?)\s*$")
_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$")


def _scan_literal(text: str) -> Any:
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if isinstance(value, str) and "${" in value:
            match = _VAR_REF.match(value)
            return VarRef(match.group(1)) if match else None
        return value
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    match = _VAR_REF.match(text)
    return VarRef(match.group(1)) if match else None


def _brace_delta(line: str) -> int:
    """Net `{` minus `}` on a line, ignoring braces inside strings and comments."""
    delta, in_string, escaped = 0, False, False
    for i, ch in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch == "#" or line.startswith("//", i):
            break
        elif ch in "{[(":
            delta += ch == "{"
        elif ch == "}":
            delta -= 1
    return delta


def _blocks_with_scanner(text: str) -> Blocks:
    blocks: Blocks = []
    depth = 0
    heredoc_end: str | None = None
    current: dict[str, Any] | None = None
    in_comment = False
    for raw in text.splitlines():
        line = raw.strip()
        if heredoc_end is not None:
            if line == heredoc_end:
                heredoc_end = None
            continue
        if in_comment:
            in_comment = "*/" not in line
            continue
        if line.startswith("/*"):
            in_comment = "*/" not in line
            continue
        if not line or line.startswith(("#", "//")):
            continue
        if depth == 0:
            header = _BLOCK_HEADER.match(line)
            current = None
            if header:
                current = {}
                blocks.append((header.group(1), header.group(2), current))
        elif depth == 1 and current is not None:
            attribute = _ATTRIBUTE.match(line)
            if attribute and _brace_delta(line) == 0 and not _HEREDOC.search(line):
                current[attribute.group(1)] = _scan_literal(attribute.group(2))
        heredoc = _HEREDOC.search(line)
        if heredoc:
            heredoc_end = heredoc.group(1)
        depth += _brace_delta(line)
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


def _variable_values(directory: Path, blocks: Blocks, parse: Any) -> dict[str, Any]:
    values = {name: attrs.get("default") for kind, name, attrs in blocks if kind == "variable"}
    for path in _tfvars_files(directory):
        try:
            values.update(_tfvars_values(path, parse))
        except UserError:
            raise
        except Exception as err:  # unreadable file, bad JSON, or the parser's own errors
            raise UserError(f"cannot read variable values: {err}", file=str(path)) from None
    return values


def _tfvars_values(path: Path, parse: Any) -> dict[str, Any]:
    from typhoon_tf.inputs import CONFIG_LIMIT, load_json, read_text

    # The shared safe reader: a FIFO or a huge *.auto.tfvars must not hang the driver.
    text = read_text(path, limit=CONFIG_LIMIT, what="variable values")
    if path.suffix == ".json":
        loaded = load_json(text, str(path))
        if not isinstance(loaded, dict):
            raise ValueError("a .tfvars.json file must hold a JSON object")
        return {k: v for k, v in loaded.items() if isinstance(v, str | int | bool | list)}
    values: dict[str, Any] = {}
    # A tfvars file is a body of attributes: wrap it to reuse the block parser.
    for _kind, _name, attrs in parse('variable "x" {\n' + text + "\n}\n"):
        values.update(attrs)
    return values


def _is_cluster_module(attrs: dict[str, Any]) -> bool:
    source = attrs.get("source")
    generated = isinstance(source, str) and source.startswith("./modules/")
    return generated or "ssh_authorized_key" in attrs or "ssh_fingerprints" in attrs


def _resolve(value: Any, variables: dict[str, Any]) -> Any:
    return variables.get(value.name) if isinstance(value, VarRef) else value


def read_root_settings(directory: Path, *, use_hcl2: bool | None = None) -> RootSettings:
    """Settings of the root module in `directory`; `UserError` when it is not one."""
    tf_files = sorted(directory.glob("*.tf"))
    if not tf_files:
        raise UserError(f"{directory}: no *.tf files here (is this a generated root module?)")
    if use_hcl2 is None:
        try:
            import hcl2  # noqa: F401
        except ImportError:
            use_hcl2 = False
        else:
            use_hcl2 = True
    parse = _blocks_with_hcl2 if use_hcl2 else _blocks_with_scanner
    blocks: Blocks = []
    for path in tf_files:
        try:
            blocks.extend(parse(path.read_text()))
        except Exception as err:  # the parser's own error types vary by version
            raise UserError(f"cannot parse: {err}", file=str(path)) from None
    variables = _variable_values(directory, blocks, parse)
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
