"""Remove blocks that cannot work offline from a scratch copy of a module (real HCL parse).

Provisioners that need a connection (`file`, `remote-exec`) and `connection` blocks cannot
run offline (no hosts to reach), and a remote state `backend` (s3, gcs, azurerm) cannot be
initialised. We blank exactly those blocks' lines, found from the python-hcl2 (lark) parse
tree, and report each removal so tests can say what was skipped. `local-exec` provisioners
are kept: they run on the machine applying the plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

REMOTE_PROVISIONERS = frozenset({"file", "remote-exec"})


@dataclass(frozen=True)
class RemovedBlock:
    file: str  # path relative to the workspace
    resource: str  # e.g. null_resource.copy-controller-secrets
    block: str  # e.g. provisioner "file" / connection
    first_line: int
    last_line: int


def _block_name_and_labels(block: Any) -> tuple[str, list[str]]:
    from lark import Token, Tree

    name = ""
    labels: list[str] = []
    for child in block.children:
        if isinstance(child, Tree) and child.data == "identifier":
            token = child.children[0]
            if not name:
                name = str(token)
            else:
                labels.append(str(token))
        elif isinstance(child, Tree) and child.data == "string":
            labels.append(
                "".join(
                    str(t)
                    for t in child.scan_values(
                        lambda v: isinstance(v, Token) and v.type == "STRING_CHARS"
                    )
                )
            )
    return name, labels


def _child_blocks(block: Any) -> list[Any]:
    from lark import Tree

    bodies = [c for c in block.children if isinstance(c, Tree) and c.data == "body"]
    if not bodies:
        return []
    return [c for c in bodies[0].children if isinstance(c, Tree) and c.data == "block"]


def find_backend_blocks(text: str, rel_file: str) -> list[RemovedBlock]:
    import hcl2

    tree = hcl2.parses_to_tree(text)
    body = next(c for c in tree.children if getattr(c, "data", None) == "body")
    found: list[RemovedBlock] = []
    for top in body.children:
        if getattr(top, "data", None) != "block" or _block_name_and_labels(top)[0] != "terraform":
            continue
        for inner in _child_blocks(top):
            name, labels = _block_name_and_labels(inner)
            if name in ("backend", "cloud"):
                title = f'{name} "{labels[0]}"' if labels else name
                found.append(
                    RemovedBlock(rel_file, "terraform", title, inner.meta.line, inner.meta.end_line)
                )
    return found


def find_remote_blocks(text: str, rel_file: str) -> list[RemovedBlock]:
    import hcl2

    tree = hcl2.parses_to_tree(text)
    found: list[RemovedBlock] = []
    body = next(c for c in tree.children if getattr(c, "data", None) == "body")
    for top in body.children:
        if getattr(top, "data", None) != "block":
            continue
        kind, labels = _block_name_and_labels(top)
        if kind != "resource":
            continue
        address = ".".join(labels)
        for inner in _child_blocks(top):
            name, inner_labels = _block_name_and_labels(inner)
            remote = (
                name == "provisioner"
                and inner_labels[:1]
                and inner_labels[0] in REMOTE_PROVISIONERS
            )
            if name == "connection" or remote:
                title = f'{name} "{inner_labels[0]}"' if remote else name
                found.append(
                    RemovedBlock(rel_file, address, title, inner.meta.line, inner.meta.end_line)
                )
    return found


def _drop_lines(tf_file: Path, text: str, blocks: list[RemovedBlock]) -> None:
    # Blank the lines rather than delete them: later diagnostics (plan, apply) then still
    # name the original file's line numbers.
    drop = {n for b in blocks for n in range(b.first_line, b.last_line + 1)}
    lines = text.splitlines(keepends=True)
    tf_file.write_text("".join("\n" if i in drop else line for i, line in enumerate(lines, 1)))


def find_remote_blocks_in(tree: Path) -> Iterator[tuple[Path, str, list[RemovedBlock]]]:
    """(file, its text, its connection/file/remote-exec blocks) for each .tf file with any."""
    for tf_file in sorted(tree.rglob("*.tf")):
        if ".terraform" in tf_file.parts:
            continue
        text = tf_file.read_text()
        if "provisioner" not in text and "connection" not in text:
            continue
        blocks = find_remote_blocks(text, str(tf_file))
        if blocks:
            yield tf_file, text, blocks


def strip_remote_provisioners(workspace: Path, module_root: Path) -> list[RemovedBlock]:
    """Delete connection blocks and file/remote-exec provisioners from every .tf file."""
    removed: list[RemovedBlock] = []
    for tf_file, text, blocks in list(find_remote_blocks_in(module_root)):
        _drop_lines(tf_file, text, blocks)
        rel_file = str(tf_file.relative_to(workspace))
        removed += [replace(b, file=rel_file) for b in blocks]
    return removed


def strip_backend(workspace: Path, module_path: Path) -> list[RemovedBlock]:
    """Delete the root module's `backend`/`cloud` block so state stays local and offline."""
    removed: list[RemovedBlock] = []
    for tf_file in sorted(module_path.glob("*.tf")):
        text = tf_file.read_text()
        if "backend" not in text and "cloud" not in text:
            continue
        blocks = find_backend_blocks(text, str(tf_file.relative_to(workspace)))
        if blocks:
            _drop_lines(tf_file, text, blocks)
            removed += blocks
    return removed
