"""Path rules shared by both spec families (Ignition uses Go's `path` package)."""

from __future__ import annotations


def go_clean(path: str) -> str:
    """Go's `path.Clean` for absolute and relative slash paths."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def path_error(path: str | None) -> str | None:
    """Ignition's complaint about a node/device path, or None."""
    if not path:
        return "path not specified"
    if not path.startswith("/"):
        return "path not absolute"
    if go_clean(path) != path:
        return "path is not fully simplified"
    return None


def ancestors(path: str) -> list[str]:
    """`/a/b/c` -> `["/a", "/a/b"]`."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) for i in range(1, len(parts))]


def go_ext(path: str) -> str:
    """Go's `path.Ext`: from the last dot of the final element (`.service` -> `.service`)."""
    for i in range(len(path) - 1, -1, -1):
        if path[i] == "/":
            return ""
        if path[i] == ".":
            return path[i:]
    return ""
