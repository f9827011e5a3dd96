"""Value constraints of the real providers (enums, ranges, lengths, patterns, CIDRs, conflicting
and exactly-one-of arguments), from the `constraints:` entries of `provider_facts.yaml`.

The vendored schemas carry types only; the providers' SDK validators (`ValidateFunc`,
`ConflictsWith`, `ExactlyOneOf`, ...) and some `CustomizeDiff` checks are what reject
`volume_type = "gp9"` or `user_data` beside `user_data_base64`. `check(type, config, stage)`
runs the table's entries for one stage: "validate" (ValidateResourceConfig, which Terraform
calls at validate and again at plan with known values) or "plan" (PlanResourceChange, where
the providers' CustomizeDiff runs). Messages follow the SDK's wording. Unknown and null
values are skipped, as in the SDKs.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgpack  # type: ignore[import-untyped]
from tf.types import Unknown

from typhoon_tf.testing.fakeprovider.errors import ProviderError
from typhoon_tf.testing.fakeprovider.facts import load_facts

Step = str | int
Located = tuple[tuple[Step, ...], Any]  # (attribute path steps, value there)

CROSS_KINDS = ("conflicts_with", "exactly_one_of", "at_least_one_of", "required_with")
VALUE_KINDS = ("one_of", "range", "at_least", "length", "regex", "prefix", "cidr")


@dataclass(frozen=True)
class Constraint:
    kind: str  # a VALUE_KINDS or CROSS_KINDS entry, or "forbidden_when"
    paths: tuple[str, ...]  # one path for value checks, the group for cross-attribute ones
    arg: Any = None  # the allowed values, (min, max), pattern, prefix, CIDR family
    message: str | None = None  # the provider's own wording, where not the SDK's default
    summary: str | None = None
    key: str = "path"  # how the SDK names the attribute: "path" (a.0.b) or "leaf" (b)
    ignore_case: bool = False
    stage: str = "validate"
    when: Mapping[str, Any] | None = None  # forbidden_when: {path, equals}
    on: tuple[str, ...] = ()  # the group members that declare a cross-attribute rule


def parse_constraint(raw: Mapping[str, Any]) -> Constraint:
    kinds = [k for k in (*VALUE_KINDS, *CROSS_KINDS, "forbidden_when") if k in raw]
    if len(kinds) != 1:
        raise ValueError(f"a constraint names exactly one kind: {dict(raw)}")
    kind = kinds[0]
    if kind in CROSS_KINDS:
        paths = tuple(str(p) for p in raw[kind])
        arg = None
    else:
        paths = (str(raw["path"]),)
        arg = raw[kind]
    return Constraint(
        kind=kind,
        paths=paths,
        arg=tuple(arg) if isinstance(arg, list) else arg,
        message=raw.get("message"),
        summary=raw.get("summary"),
        key=str(raw.get("key", "path")),
        ignore_case=bool(raw.get("ignore_case", False)),
        stage=str(raw.get("stage", "validate")),
        when=raw[kind] if kind == "forbidden_when" else None,
        on=tuple(str(p) for p in raw.get("on") or paths),
    )


@functools.cache
def load_constraints() -> dict[str, tuple[Constraint, ...]]:
    return {
        type_name: tuple(parse_constraint(c) for c in entry.get("constraints") or ())
        for type_name, entry in load_facts().items()
    }


# -- locating values -------------------------------------------------------------------------


def locate(config: Any, path: str) -> list[Located]:
    """Every value at a dotted path, with its steps (list elements get their index)."""
    found: list[Located] = [((), config)]
    for part in path.split("."):
        nxt: list[Located] = []
        for steps, value in found:
            if isinstance(value, list):  # a list/set of nested blocks: each element
                nxt += [((*steps, i), item) for i, item in enumerate(value)]
            else:
                nxt.append((steps, value))
        found = [
            ((*steps, part), value.get(part)) for steps, value in nxt if isinstance(value, Mapping)
        ]
    return [(steps, value) for steps, value in found if value is not None]


def _is_set(value: Any) -> bool:
    # `false` counts as set (`self = false` beside cidr_blocks conflicts); an empty list is
    # how an absent nested block arrives.
    return value is not None and value is not Unknown and value != []


def _name(steps: Sequence[Step], style: str = "path") -> str:
    if style == "leaf":
        return str(steps[-1])
    return ".".join(str(s) for s in steps)


def _declared(path: str) -> str:
    """The SDK's name for a nested path in ConflictsWith & co.: `block.0.attr`."""
    return path.replace(".", ".0.")


def _go_quoted(values: Sequence[Any]) -> str:
    return "[" + " ".join(json.dumps(str(v)) for v in values) + "]"


def _error(
    c: Constraint, steps: tuple[Step, ...], default: str, value: Any = None
) -> ProviderError:
    text = default
    if c.message is not None:  # plain replacement: messages quote regexes with braces
        text = (
            c.message.replace("{key}", _name(steps, c.key))
            .replace("{value}", str(value))
            .replace("{quoted}", json.dumps(value))
        )
    if c.summary is not None:
        return ProviderError(c.summary, text, path=list(steps))
    return ProviderError(text, "", path=list(steps))


# -- value checks ------------------------------------------------------------------------------


def _cidr_problem(family: str, value: str) -> str | None:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        if family == "ipv6":
            return f"{json.dumps(value)} is not a valid IPv6 CIDR block"
        return f"{json.dumps(value)} is not a valid CIDR block: invalid CIDR address: {value}"
    if family == "ipv6" and network.version != 6:
        return f"{json.dumps(value)} is not a valid IPv6 CIDR block"
    if family == "ipv4" and network.version != 4:
        return f"{json.dumps(value)} is not a valid IPv4 CIDR block"
    if family == "ipv4_network" and (network.version != 4 or str(network) != value):
        return f'{json.dumps(value)} is not a valid IPv4 CIDR block; did you mean "{network}"?'
    if family == "network" and str(network) != value:
        return f"expected {{key}} to contain a valid network Value, expected {network}, got {value}"
    return None


def _value_problem(c: Constraint, key: str, value: Any) -> str | None:
    """The SDK's message for one scalar value, None when it passes."""
    if c.kind == "one_of":
        allowed = [str(a).lower() for a in c.arg] if c.ignore_case else list(c.arg)
        probe = str(value).lower() if c.ignore_case else value
        if probe in allowed:
            return None
        return f"expected {key} to be one of {_go_quoted(c.arg)}, got {value}"
    if c.kind == "range":
        low, high = c.arg
        if low <= value <= high:
            return None
        return f"expected {key} to be in the range ({low} - {high}), got {value}"
    if c.kind == "at_least":
        if value >= c.arg:
            return None
        return f"expected {key} to be at least ({c.arg}), got {value}"
    if c.kind == "length":
        low, high = c.arg
        if low <= len(value) <= high:
            return None
        return f"expected length of {key} to be in the range ({low} - {high}), got {value}"
    if c.kind == "regex":
        if re.search(str(c.arg), str(value)):
            return None
        return f"invalid value for {key} (must match {c.arg}), got {value}"
    if c.kind == "prefix":
        if str(value).startswith(str(c.arg)):
            return None
        return f"expected {key} to have prefix {c.arg}, got {value}"
    if c.kind == "cidr":
        problem = _cidr_problem(str(c.arg), str(value))
        return problem.replace("{key}", key) if problem else None
    raise ValueError(f"unknown constraint kind {c.kind}")


def _check_value(c: Constraint, config: Mapping[str, Any]) -> Iterator[ProviderError]:
    for steps, value in locate(config, c.paths[0]):
        # A list of scalars (cidr_blocks) is checked element by element.
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            if item is None or item is Unknown:
                continue
            where = steps if index is None else (*steps, index)
            problem = _value_problem(c, _name(steps, c.key), item)
            if problem is not None:
                yield _error(c, where, problem, item)


# -- cross-attribute checks ---------------------------------------------------------------------


def _present(config: Mapping[str, Any], path: str) -> tuple[Step, ...] | None:
    """Where `path` is set (first element of nested blocks), None when it is not."""
    for steps, value in locate(config, path):
        if _is_set(value):
            return steps
    return None


def _has_unknown(config: Mapping[str, Any], path: str) -> bool:
    return any(value is Unknown for _, value in locate(config, path))


def _check_cross(c: Constraint, config: Mapping[str, Any]) -> Iterator[ProviderError]:
    if any(_has_unknown(config, p) for p in c.paths):
        return  # an unknown value may yet be null: the SDK defers these checks too
    present = {p: steps for p in c.paths if (steps := _present(config, p)) is not None}
    names = ",".join(sorted(_declared(p) for p in c.paths))
    if c.kind == "conflicts_with":
        # Each declaring attribute (`on`) reports its own conflict, as the SDK does.
        for declared in c.on:
            if declared not in present:
                continue
            for other in c.paths:
                if other != declared and other in present:
                    detail = f'"{_declared(declared)}": conflicts with {_declared(other)}'
                    yield ProviderError(
                        "Conflicting configuration arguments", detail, path=list(present[declared])
                    )
    elif c.kind in ("exactly_one_of", "at_least_one_of") and not present:
        summary = (
            "Invalid combination of arguments"
            if c.kind == "exactly_one_of"
            else "Missing required argument"
        )
        for path in c.on:
            detail = f'"{_declared(path)}": one of `{names}` must be specified'
            yield ProviderError(summary, detail)
    elif c.kind == "exactly_one_of" and len(present) > 1:
        given = ",".join(sorted(_declared(p) for p in present))
        for path in c.on:
            detail = (
                f'"{_declared(path)}": only one of `{names}` can be specified, '
                f"but `{given}` were specified."
            )
            steps = present.get(path, ())
            yield ProviderError("Invalid combination of arguments", detail, path=list(steps))
    elif c.kind == "required_with" and len(present) < len(c.paths):
        for declared in c.on:
            if declared in present:
                detail = f'"{_declared(declared)}": all of `{names}` must be specified'
                yield ProviderError(
                    "Missing required argument", detail, path=list(present[declared])
                )


def _check_forbidden(c: Constraint, config: Mapping[str, Any]) -> Iterator[ProviderError]:
    """A CustomizeDiff rule: `path` may not be set while `when.path` equals `when.equals`."""
    assert c.when is not None
    for steps, value in locate(config, c.paths[0]):
        if not _is_set(value):
            continue
        owner = [s for s in steps[:-1]]
        condition = locate(config, str(c.when["path"]))
        if any(
            list(cond_steps[: len(owner)]) == owner and cond == c.when["equals"]
            for cond_steps, cond in condition
        ):
            yield _error(c, steps, f"{_name(steps)} cannot be set", value)


def as_unknowns(value: Any) -> Any:
    """`value` with every msgpack extension (an unknown; Terraform >= 1.6 sends refined
    unknowns as extension type 12, which tf's decoder leaves as is) turned into `Unknown`."""
    if isinstance(value, msgpack.ExtType):
        return Unknown
    if isinstance(value, Mapping):
        return {k: as_unknowns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_unknowns(v) for v in value]
    return value


def check(
    type_name: str, config: Mapping[str, Any], stage: str = "validate"
) -> list[ProviderError]:
    """The provider's errors for one resource configuration at `stage`."""
    config = as_unknowns(config)
    errors: list[ProviderError] = []
    for c in load_constraints().get(type_name, ()):
        if c.stage != stage:
            continue
        if c.kind in CROSS_KINDS:
            errors += _check_cross(c, config)
        elif c.kind == "forbidden_when":
            errors += _check_forbidden(c, config)
        else:
            errors += _check_value(c, config)
    return errors
