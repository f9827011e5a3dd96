"""Provider schema JSON (`terraform providers schema -json` format) -> tfplugin6 protobufs.

PyPI `tf` only models SET nested blocks and primitive/collection types; the protocol itself
just wants the cty JSON type bytes and a nesting mode, so we translate the JSON directly and
keep list/single/map nesting, object/tuple types, min/max items and sensitive flags intact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tf.gen import tfplugin_pb2 as pb

JsonBlock = dict[str, Any]

_NESTING = {
    "single": pb.Schema.NestedBlock.NestingMode.SINGLE,
    "list": pb.Schema.NestedBlock.NestingMode.LIST,
    "set": pb.Schema.NestedBlock.NestingMode.SET,
    "map": pb.Schema.NestedBlock.NestingMode.MAP,
    "group": pb.Schema.NestedBlock.NestingMode.GROUP,
}


@dataclass(frozen=True)
class ProviderSchemaDoc:
    address: str
    version: str
    provider: JsonBlock
    resources: dict[str, JsonBlock]
    data_sources: dict[str, JsonBlock]

    @property
    def type_name(self) -> str:
        return self.address.rsplit("/", 1)[1]


def load_schema_doc(path: Path) -> ProviderSchemaDoc:
    with path.open() as handle:
        doc = json.load(handle)
    provenance = doc["provenance"]
    address = provenance["provider"]
    body = doc["provider_schemas"][address]
    return ProviderSchemaDoc(
        address=address,
        version=provenance["provider_version"],
        provider=body.get("provider", {"version": 0, "block": {}})["block"],
        resources={k: v["block"] for k, v in body.get("resource_schemas", {}).items()},
        data_sources={k: v["block"] for k, v in body.get("data_source_schemas", {}).items()},
    )


def _attribute_pb(name: str, attr: dict[str, Any], *, relax_required: bool) -> Any:
    required = bool(attr.get("required"))
    optional = bool(attr.get("optional"))
    if relax_required and required:
        required, optional = False, True
    return pb.Schema.Attribute(
        name=name,
        type=json.dumps(attr["type"], separators=(",", ":")).encode(),
        required=required,
        optional=optional,
        computed=bool(attr.get("computed")),
        sensitive=bool(attr.get("sensitive")),
        deprecated=bool(attr.get("deprecated")),
        description_kind=pb.StringKind.PLAIN,
    )


def block_pb(block: JsonBlock, *, relax_required: bool = False) -> Any:
    attributes = [
        _attribute_pb(name, attr, relax_required=relax_required)
        for name, attr in sorted(block.get("attributes", {}).items())
    ]
    nested = []
    for name, nested_block in sorted(block.get("block_types", {}).items()):
        min_items = 0 if relax_required else int(nested_block.get("min_items", 0))
        nested.append(
            pb.Schema.NestedBlock(
                type_name=name,
                block=block_pb(nested_block["block"], relax_required=relax_required),
                nesting=_NESTING[nested_block["nesting_mode"]],
                min_items=min_items,
                max_items=int(nested_block.get("max_items", 0)),
            )
        )
    return pb.Schema.Block(
        attributes=attributes,
        block_types=nested,
        description_kind=pb.StringKind.PLAIN,
    )


def schema_pb(block: JsonBlock, *, relax_required: bool = False) -> Any:
    return pb.Schema(version=0, block=block_pb(block, relax_required=relax_required))
