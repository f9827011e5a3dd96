"""Kubernetes objects (parsed YAML) → typed `hashicorp/kubernetes` resource HCL.

The provider's schema (vendored, provider 2.38.0) decides everything: a Kubernetes field
becomes the attribute or nested block of the same snake_case name (singular for repeated
blocks: `containers` → `container`), values are coerced to the attribute's type, and a
field the schema does not know is an error rather than silently dropped. Kinds without a
typed resource (CRDs, custom resources) become `kubernetes_manifest`.

Strings may carry the sentinels of `tftemplate.render_symbolic`; they become HCL
expressions, `dynamic` blocks (loops) and conditional list parts (`%{ if }` items).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typhoon_tf import hcl
from typhoon_tf.addons.tftemplate import SENTINEL, Symbols

# The vendored provider schema (also served by the offline fake): generated resources use
# exactly the fields provider 2.38.0 has.
SCHEMAS = Path(__file__).resolve().parents[1] / "testing" / "provider_schemas"
SCHEMA_FILE = SCHEMAS / "hashicorp-kubernetes.json"
PROVIDER = "registry.terraform.io/hashicorp/kubernetes"
MANIFEST_TYPE = "kubernetes_manifest"

# Typhoon's addon modules use these (legacy, still supported in provider 3.x) type names;
# keeping them keeps Typhoon users' state addresses.
RESOURCE_TYPES: dict[str, str] = {
    "ServiceAccount": "kubernetes_service_account",
    "ClusterRole": "kubernetes_cluster_role",
    "ClusterRoleBinding": "kubernetes_cluster_role_binding",
    "ConfigMap": "kubernetes_config_map",
    "DaemonSet": "kubernetes_daemonset",
    "Deployment": "kubernetes_deployment",
    "Service": "kubernetes_service",
}
# Kubernetes field names the provider spells differently from the generic rule.
RENAMES: dict[str, str] = {"updateStrategy": "strategy", "httpHeaders": "http_header"}
_IGNORED_TOP_LEVEL = ("apiVersion", "kind")

JsonBlock = dict[str, Any]


class ConversionError(ValueError):
    """A Kubernetes field has no place in the provider's resource schema."""


@functools.cache
def resource_schemas() -> dict[str, JsonBlock]:
    doc = json.loads(SCHEMA_FILE.read_text())
    schemas = doc["provider_schemas"][PROVIDER]["resource_schemas"]
    return {name: schema["block"] for name, schema in schemas.items()}


def resource_type(kind: str) -> str:
    return RESOURCE_TYPES.get(kind, MANIFEST_TYPE)


def snake(name: str) -> str:
    """`clusterIP` → `cluster_ip`, `readOnlyRootFilesystem` → `read_only_root_filesystem`."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    return text.lower()


@dataclass
class Converter:
    """Turns one rendered template's objects into HCL, resolving its sentinels."""

    symbols: Symbols
    # Loop index -> the dynamic block whose iterator stands for the loop variable.
    _iterators: dict[int, str] = field(default_factory=dict)

    # -- resources ---------------------------------------------------------------------

    def typed_body(self, type_name: str, obj: Mapping[str, Any]) -> list[hcl.BodyItem]:
        block = resource_schemas()[type_name]
        fields = {k: v for k, v in obj.items() if k not in _IGNORED_TOP_LEVEL}
        return self.body(block, fields, type_name)

    def manifest_value(self, obj: Mapping[str, Any]) -> hcl.Value:
        return self.plain(obj)

    def state_value(self, type_name: str, obj: Mapping[str, Any]) -> dict[str, Any]:
        """The object as the provider's state holds it (blocks as lists of objects).

        The same field mapping as `typed_body`, for a concrete object (no sentinels): what
        the provider reads back from the API for it. Fields the object lacks are absent.
        """
        block = resource_schemas()[type_name]
        fields = {k: v for k, v in obj.items() if k not in _IGNORED_TOP_LEVEL}
        return self._state_block(block, fields, type_name)

    def _state_block(self, block: JsonBlock, obj: Mapping[str, Any], path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in obj.items():
            name = self._field_name(block, key, path)
            where = f"{path}.{name}"
            if name in block.get("attributes", {}):
                out[name] = self.typed(block["attributes"][name]["type"], value, where)
                continue
            nested = block["block_types"][name]
            elements = value if isinstance(value, list) else [value]
            items = [self._state_block(nested["block"], e, where) for e in elements]
            out[name] = items[0] if nested["nesting_mode"] in ("single", "group") else items
        return out

    # -- typed blocks ------------------------------------------------------------------

    def body(self, block: JsonBlock, obj: Mapping[str, Any], path: str) -> list[hcl.BodyItem]:
        items: list[hcl.BodyItem] = []
        for key, value in obj.items():
            name = self._field_name(block, key, path)
            where = f"{path}.{name}"
            if name in block.get("attributes", {}):
                ty = block["attributes"][name]["type"]
                items.append(hcl.Attribute(name, self.typed(ty, value, where)))
                continue
            nested = block["block_types"][name]
            elements = value if isinstance(value, list) else [value]
            items.extend(self._block(name, nested["block"], e, where) for e in elements)
        return items

    def _field_name(self, block: JsonBlock, key: str, path: str) -> str:
        known = set(block.get("attributes", {})) | set(block.get("block_types", {}))
        candidates = [RENAMES.get(key, snake(key))]
        candidates.append(candidates[0].removesuffix("s"))
        for name in candidates:
            if name in known:
                return name
        raise ConversionError(f"{path}: the provider schema has no field for {key!r}")

    def _block(self, name: str, block: JsonBlock, element: Any, where: str) -> hcl.Block:
        if not isinstance(element, Mapping):
            raise ConversionError(f"{where}: expected an object, got {element!r}")
        loops = self._loops_in(element)
        if not loops:
            return hcl.Block(name, [], self.body(block, element, where))
        if len(loops) > 1:
            raise ConversionError(f"{where}: one loop per block element, found {loops}")
        # A template loop over list items: one `dynamic` block iterating the same list.
        self._iterators[loops[0]] = name
        content = self.body(block, element, where)
        return hcl.Block(
            "dynamic",
            [name],
            [
                hcl.Attribute("for_each", hcl.Expr(self.symbols.loops[loops[0]])),
                hcl.Block("content", [], content),
            ],
        )

    def _loops_in(self, element: Mapping[str, Any]) -> list[int]:
        # Only the element's own scalars: a loop deeper down belongs to a nested block.
        found = set()
        for value in element.values():
            if isinstance(value, str):
                found |= {int(m.group(2)) for m in SENTINEL.finditer(value) if m.group(1) == "each"}
        return sorted(found)

    # -- values ------------------------------------------------------------------------

    def typed(self, ty: Any, value: Any, where: str) -> hcl.Value:
        if isinstance(value, str) and SENTINEL.search(value):
            return self.string(value)
        if ty == "string":
            return self._scalar_text(value, where)
        if ty == "number":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ConversionError(f"{where}: expected a number, got {value!r}")
            return value if not isinstance(value, str) else int(value)
        if ty == "bool":
            if not isinstance(value, bool):
                raise ConversionError(f"{where}: expected a bool, got {value!r}")
            return value
        kind, inner = ty[0], ty[1]
        if kind in ("list", "set") and isinstance(value, list):
            return self._list([self.typed(inner, v, where) for v in value], value)
        if kind == "map" and isinstance(value, Mapping):
            return {str(k): self.typed(inner, v, f"{where}.{k}") for k, v in value.items()}
        raise ConversionError(f"{where}: cannot write {value!r} as {ty!r}")

    def _scalar_text(self, value: Any, where: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | str):
            return str(value)
        raise ConversionError(f"{where}: expected a string, got {value!r}")

    def plain(self, value: Any) -> hcl.Value:
        """A value as an untyped HCL literal (kubernetes_manifest), sentinels resolved."""
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, Mapping):
            return {str(k): self.plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return self._list([self.plain(v) for v in value], value)
        result: hcl.Value = value
        return result

    def _list(self, converted: Sequence[hcl.Value], raw: Sequence[Any]) -> hcl.Value:
        """A list; items from a `%{ if }` become a conditional part of a concat()."""
        conditions = [self._condition_of(item) for item in raw]
        if not any(c is not None for c in conditions):
            return list(converted)
        parts: list[str] = []
        run: list[hcl.Value] = []
        for item, condition in zip(converted, conditions, strict=True):
            if condition is None:
                run.append(item)
                continue
            if run:
                parts.append(hcl.render_value(run))
                run = []
            parts.append(f"{condition} ? [{hcl.render_value(item)}] : []")
        if run:
            parts.append(hcl.render_value(run))
        return hcl.Expr("concat(\n" + "".join(f"  {p},\n" for p in parts) + ")")

    def _condition_of(self, item: Any) -> str | None:
        if isinstance(item, str):
            match = SENTINEL.search(item)
            if match and match.group(1) == "if":
                return self.symbols.conditions[int(match.group(2))]
        return None

    def string(self, text: str) -> hcl.Value:
        """Literal text with sentinels turned into interpolations."""
        parts: list[str | hcl.Expr] = []
        pos = 0
        for match in SENTINEL.finditer(text):
            parts.append(text[pos : match.start()])
            kind, index = match.group(1), int(match.group(2))
            if kind == "expr":
                parts.append(hcl.Expr(self.symbols.expressions[index]))
            elif kind == "each":
                parts.append(hcl.Expr(f"{self._iterators[index]}.value"))
            # `if` markers only flag a list item (see _list); they carry no text.
            pos = match.end()
        parts.append(text[pos:])
        kept = [p for p in parts if p != ""]
        if len(kept) == 1 and isinstance(kept[0], hcl.Expr):
            return kept[0]
        if all(isinstance(p, str) for p in kept):
            return "".join(str(p) for p in kept)
        return hcl.Template(*kept)
