"""Render a node's Butane document from the jinja2 templates.

The templates (`templates/*.bu.j2`, content in `templates/units|files/*.j2`) see the OS
profile, the platform delta, the role, the holes object, `versions` and `conventions`;
StrictUndefined makes any typo an error instead of an empty string.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal, TypeVar

import jinja2

from typhoon_tf import conventions, jinja_env, versions
from typhoon_tf.errors import UserError
from typhoon_tf.nodes.holes import Holes
from typhoon_tf.nodes.platform_deltas import PLATFORM_DELTAS, PlatformDelta
from typhoon_tf.nodes.profiles import OS_PROFILES, OSProfile

_T = TypeVar("_T")
Role = Literal["controller", "worker"]
ROLES: tuple[Role, ...] = ("controller", "worker")


@dataclass(frozen=True)
class NodeOptions:
    """Generate-time choices for a node (apply-time values are holes)."""

    ignition_version: str | None = None  # None: the OS profile's default
    cgroup_driver: str | None = None  # None: the OS profile's default
    fleetlock_url: str | None = None  # Fedora CoreOS: Zincati asks this fleetlock server
    fleetlock_group: str = "default"
    arch: str = "amd64"


@dataclass(frozen=True)
class NodeKind:
    """A resolved (platform, OS, role, options) with the Butane version to use."""

    platform: PlatformDelta
    os: OSProfile
    role: Role
    options: NodeOptions
    ignition_version: str
    butane_version: str
    cgroup_driver: str


def resolve(platform: str, os_name: str, role: str, options: NodeOptions) -> NodeKind:
    """Check the names and options, raising `UserError` with the offending key."""
    delta = _choice(PLATFORM_DELTAS, platform, "platform")
    profile = _choice(OS_PROFILES, os_name, "os")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}", path="role")
    version = options.ignition_version or profile.default_ignition_version
    if version not in profile.butane_versions:
        supported = ", ".join(sorted(profile.butane_versions))
        raise UserError(
            f"{profile.name} nodes support Ignition {supported}, not {version!r}",
            path="ignition_version",
        )
    driver = options.cgroup_driver or profile.default_cgroup_driver
    if driver not in profile.cgroup_drivers:
        raise UserError(
            f"{profile.name} supports cgroup driver {', '.join(profile.cgroup_drivers)}, "
            f"not {driver!r}",
            path="cgroup_driver",
        )
    if options.arch not in delta.arches:
        raise UserError(
            f"{delta.name} nodes support arch {', '.join(delta.arches)}, not {options.arch!r}",
            path="arch",
        )
    if options.fleetlock_url and not profile.fleetlock_capable:
        raise UserError(
            f"fleetlock configures Zincati, which {profile.name} does not have "
            "(use the FLUO addon)",
            path="fleetlock_url",
        )
    return NodeKind(
        platform=delta,
        os=profile,
        role=role,
        options=options,
        ignition_version=version,
        butane_version=profile.butane_versions[version],
        cgroup_driver=driver,
    )


def _choice(table: dict[str, _T], name: str, key: str) -> _T:
    if name not in table:
        raise UserError(f"unknown {key} {name!r}; expected one of: {', '.join(table)}", path=key)
    return table[name]


def yaml_block(text: str, indent: int) -> str:
    """A YAML scalar for `text`: a literal block when that is exact, else a JSON string."""
    block_safe = (
        text.endswith("\n")
        and not text.endswith("\n\n")
        and not text.startswith((" ", "\n"))
        and all(ch == "\n" or (ch.isprintable() and ch != "\t") for ch in text)
        and not any(line.endswith(" ") for line in text.split("\n"))
    )
    if not block_safe:
        return json.dumps(text, ensure_ascii=False)
    pad = " " * indent
    body = "".join(pad + line + "\n" if line else "\n" for line in text[:-1].split("\n"))
    return "|\n" + body.rstrip("\n")


@cache
def _environment() -> jinja2.Environment:
    env = jinja_env.environment(
        jinja2.PackageLoader("typhoon_tf.nodes", "templates"), extensions=["jinja2.ext.do"]
    )
    env.filters["block"] = yaml_block
    return env


def butane_document(kind: NodeKind, holes: Holes) -> str:
    """The node's Butane YAML, with `holes` placing the apply-time values."""
    env = _environment()
    context: dict[str, object] = {
        "os": kind.os,
        "platform": kind.platform,
        "role": kind.role,
        "options": kind.options,
        "butane_version": kind.butane_version,
        "cgroup_driver": kind.cgroup_driver,
        "h": holes,
        "v": versions,
        "d": conventions,
        # bare-metal etcd advertises the machine's own domain name
        "etcd_domain_hole": (
            "domain_name" if kind.platform.hostname_source == "domain_name" else "etcd_domain"
        ),
    }

    def text(name: str) -> str:
        return env.get_template(f"{name}.j2").render(context)

    render_text: Callable[[str], str] = text
    context["text"] = render_text
    return env.get_template(f"{kind.role}.bu.j2").render(context)
