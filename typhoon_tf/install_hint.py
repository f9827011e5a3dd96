"""The command that installs one of typhoon-tf's extras, as it works on this machine.

typhoon-tf is not published: installing it by package name would fail. It is installed
from a checkout (`scripts/setup.sh`: an editable install into the checkout's `.venv`), so
the hint names that interpreter's pip, the checkout and its pins (`requirements-ci.txt`
keeps protobuf where `tf` needs it; an unpinned Google client upgrades it past that).
Paths are relative when the user stands in the checkout, as the README's commands are.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

CONSTRAINTS = "requirements-ci.txt"


def source_checkout() -> Path | None:
    """The repository typhoon-tf runs from (editable install), or None for a plain install."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def _shown(path: Path, cwd: Path) -> str:
    try:
        relative = path.relative_to(cwd)
    except ValueError:
        return str(path)
    return "." if relative == Path() else str(relative)


def install_command(extra: str, *, cwd: Path | None = None) -> str:
    """A shell command that installs `extra` into the environment running typhoon-tf."""
    here = (cwd or Path.cwd()).resolve()
    root = source_checkout()
    if root is None:
        return f"reinstall typhoon-tf from its source checkout with the [{extra}] extra"
    pip = Path(sys.prefix) / "bin" / "pip"
    if not (pip.is_file() and os.access(pip, os.X_OK)):
        pip = Path(sys.executable)
    pip_cmd = _shown(pip, here) if pip.name == "pip" else f"{_shown(pip, here)} -m pip"
    if pip_cmd == "pip":  # a bare name would be looked up on PATH, not run from here
        pip_cmd = "./pip"
    target = shlex.quote(f"{_shown(root, here)}[{extra}]")
    constraints = shlex.quote(_shown(root / CONSTRAINTS, here))
    return f"{pip_cmd} install -c {constraints} -e {target}"
