"""Check resource references inside SSH `connection`/`provisioner` blocks against provider schemas.

`terraform validate` evaluates a counted resource (`aws_instance.controllers[count.index]`)
as an unknown value of no particular type, so `...public_ipp` in a `connection` block passes
it; plan never evaluates connection blocks, and offline nothing applies them. Such a typo
would first fail against a live cluster. This check reads each traversal of a managed or
data resource (and `self`) in those blocks and looks its attribute names up in the schema
the providers serve (`terraform providers schema -json`), with Terraform's wording.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typhoon_tf.testing.diagnostics import Diagnostic
from typhoon_tf.testing.provisioners import RemovedBlock, find_remote_blocks_in

# A traversal: optional `data.`, a type, a name (not for `self`), then attribute steps with
# optional index/splat brackets. The lookbehind keeps `module.x.aws_instance...` out.
_TRAVERSAL = re.compile(
    r"(?<![\w.\-])(?:(?P<data>data)\.)?(?P<type>self|[a-z][a-z0-9]*_[a-z0-9_]+)"
    r"(?P<name>\.[A-Za-z_][\w-]*)?(?P<steps>(?:\[[^\]\[]*\]|\.[A-Za-z_][\w-]*)+)"
)
_STEP = re.compile(r"\[[^\]\[]*\]|\.([A-Za-z_][\w-]*)")
SchemaBlock = Mapping[str, Any]


@dataclass(frozen=True)
class Schemas:
    resources: Mapping[str, SchemaBlock]
    data_sources: Mapping[str, SchemaBlock]

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Schemas:
        """From `terraform providers schema -json`."""
        resources: dict[str, SchemaBlock] = {}
        data_sources: dict[str, SchemaBlock] = {}
        for provider in (doc.get("provider_schemas") or {}).values():
            for name, entry in (provider.get("resource_schemas") or {}).items():
                resources[name] = entry["block"]
            for name, entry in (provider.get("data_source_schemas") or {}).items():
                data_sources[name] = entry["block"]
        return cls(resources, data_sources)

    @classmethod
    def merge(cls, parts: Iterable[Schemas]) -> Schemas:
        resources: dict[str, SchemaBlock] = {}
        data_sources: dict[str, SchemaBlock] = {}
        for part in parts:
            resources.update(part.resources)
            data_sources.update(part.data_sources)
        return cls(resources, data_sources)


def _names(block: SchemaBlock) -> list[str]:
    return [*block.get("attributes", {}), *block.get("block_types", {})]


def _unsupported(block: SchemaBlock, steps: str) -> str | None:
    """The first attribute name along `steps` the schema lacks (None when all exist)."""
    current: SchemaBlock | None = block
    for match in _STEP.finditer(steps):
        name = match.group(1)
        if name is None:  # an index or splat: stays on the same block
            continue
        if current is None:  # inside an attribute's value (object, map): not schema-checked
            return None
        if name in current.get("attributes", {}):
            current = None
        elif name in current.get("block_types", {}):
            current = current["block_types"][name]["block"]
        else:
            return name
    return None


def _diagnostic(name: str, block: SchemaBlock, file: str, line: int, column: int) -> Diagnostic:
    suggestion = difflib.get_close_matches(name, _names(block), n=1)
    hint = f' Did you mean "{suggestion[0]}"?' if suggestion else ""
    return Diagnostic(
        "error",
        "Unsupported attribute",
        f'This object has no argument, nested block, or exported attribute named "{name}".'
        f"{hint} (typhoon-tf checks references in connection/provisioner blocks against "
        "the provider schema: terraform validate leaves those of counted resources unchecked)",
        file,
        line,
        column,
    )


def _schema_for(schemas: Schemas, match: re.Match[str], parent_type: str) -> SchemaBlock | None:
    type_name = match.group("type")
    if type_name == "self":
        return schemas.resources.get(parent_type)
    if match.group("name") is None:
        return None
    table = schemas.data_sources if match.group("data") else schemas.resources
    return table.get(type_name)


def _block_problems(
    lines: list[str], removed: RemovedBlock, schemas: Schemas, file: str
) -> Iterator[Diagnostic]:
    parent_type = removed.resource.split(".", 1)[0]
    for number in range(removed.first_line, removed.last_line + 1):
        text = lines[number - 1]
        code = text.split("#", 1)[0]  # comments name things too; they are not references
        for match in _TRAVERSAL.finditer(code):
            block = _schema_for(schemas, match, parent_type)
            if block is None:
                continue
            missing = _unsupported(block, match.group("steps"))
            if missing is not None:
                column = match.start("steps") + match.group("steps").find(missing) + 1
                yield _diagnostic(missing, block, file, number, column)


def check_ssh_references(
    tree: Path, schemas: Schemas, rename_file: Callable[[str], str] = str
) -> list[Diagnostic]:
    """Unsupported attributes referenced in every connection/file/remote-exec block."""
    found: list[Diagnostic] = []
    for tf_file, text, blocks in find_remote_blocks_in(tree):
        lines = text.splitlines()
        for removed in blocks:
            found += _block_problems(lines, removed, schemas, rename_file(str(tf_file)))
    return found
