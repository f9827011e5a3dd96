"""Platform descriptions: the module interface (variables, outputs), providers and limits.

Each platform is a folder here with a `platform.yaml` (the description) and the jinja2 HCL
templates the generator renders. The descriptions are data read by both the cluster-config
schema and the module generator, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from typhoon_tf.hcl.model import Value

OPERATING_SYSTEMS = ("fedora-coreos", "flatcar-linux")
OS_TITLES = {"fedora-coreos": "Fedora CoreOS", "flatcar-linux": "Flatcar Linux"}


@dataclass(frozen=True)
class Validation:
    """A Terraform `validation` block: a condition on the variable and a sentence."""

    condition: str
    error_message: str


@dataclass(frozen=True)
class Variable:
    """One Terraform input variable of a generated module."""

    name: str
    type: str
    description: str
    required: bool = False
    default: Value = None
    validations: tuple[Validation, ...] = ()
    enum: list[Value] | None = None  # allowed values; becomes a contains() validation
    os: str | None = None  # only in this OS's module when set
    typhoon: bool = True  # False: our addition, not in Typhoon's interface
    example: Value = None
    sensitive: bool = False
    nullable: bool = True  # False: null means the default (Terraform's `nullable = false`)

    def applies_to(self, os_name: str) -> bool:
        return self.os is None or self.os == os_name


@dataclass(frozen=True)
class Output:
    """One Terraform output: `value` is the HCL expression it exports."""

    name: str
    value: str
    description: str
    sensitive: bool = False
    typhoon: bool = True  # False: our addition, not in Typhoon's interface


@dataclass(frozen=True)
class Provider:
    name: str
    source: str
    version: str


@dataclass(frozen=True)
class PoolWiring:
    """How a `worker_pools:` entry of a cluster config calls the workers submodule, as
    Typhoon's docs wire it (`pool:` under `workers:` in platform.yaml).

    `outputs`: pool variable -> the cluster module output it is set to. `cluster`: variables
    always given the cluster's own value (a pool cannot differ). `inherit`: the cluster's
    value unless the pool sets its own. `machine`: per-machine variables (bare-metal), set
    from each entry of the pool's `machines:`. Every other variable but `name` is the pool's.
    """

    outputs: dict[str, str]
    cluster: tuple[str, ...] = ()
    inherit: tuple[str, ...] = ()
    machine: tuple[str, ...] = ()

    def generated(self) -> frozenset[str]:
        """Variables the generator sets, which a pool entry cannot."""
        return frozenset({"name", *self.outputs, *self.cluster, *self.machine})


@dataclass(frozen=True)
class Interface:
    """Variables and outputs of a submodule."""

    variables: tuple[Variable, ...]
    outputs: tuple[Output, ...]
    pool: PoolWiring | None = None  # how cluster configs' worker_pools call it

    def variables_for(self, os_name: str) -> list[Variable]:
        return [v for v in self.variables if v.applies_to(os_name)]

    def pool_variables(self, os_name: str) -> list[Variable]:
        """The variables a `worker_pools:` entry may set (for `os_name`)."""
        generated = self.pool.generated() if self.pool else frozenset()
        return [v for v in self.variables_for(os_name) if v.name not in generated]


@dataclass(frozen=True)
class Platform:
    name: str
    title: str
    user_data_limit: int
    providers: tuple[Provider, ...]
    variables: tuple[Variable, ...]
    outputs: tuple[Output, ...]
    workers: Interface | None = None  # the worker-pool submodule, where the platform has one
    extra: dict[str, Any] = field(default_factory=dict)

    def variables_for(self, os_name: str) -> list[Variable]:
        return [v for v in self.variables if v.applies_to(os_name)]

    def variable(self, name: str) -> Variable:
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(name)


def available_platforms() -> list[str]:
    """Platforms that have a description, in a stable order."""
    root = resources.files(__name__)
    return sorted(p.name for p in root.iterdir() if p.joinpath("platform.yaml").is_file())


@cache
def load_platform(name: str) -> Platform:
    """Read `platforms/<name>/platform.yaml`; KeyError when the platform is unknown."""
    path = resources.files(__name__).joinpath(name, "platform.yaml")
    if not path.is_file():
        raise KeyError(name)
    raw: dict[str, Any] = yaml.safe_load(path.read_text())
    max_name = int(raw.get("cluster_name_max_length", DNS_LABEL_MAX))
    known = {"name", "title", "user_data_limit", "providers", "variables", "outputs", "workers"}
    workers = raw.get("workers")
    return Platform(
        name=raw["name"],
        title=raw["title"],
        user_data_limit=int(raw["user_data_limit"]),
        providers=tuple(
            Provider(name=k, source=v["source"], version=v["version"])
            for k, v in raw["providers"].items()
        ),
        variables=tuple(_with_name_rule(_variable(v), max_name) for v in raw["variables"]),
        outputs=tuple(Output(**o) for o in raw["outputs"]),
        workers=_interface(workers) if workers else None,
        extra={k: v for k, v in raw.items() if k not in known},
    )


DNS_LABEL_MAX = 63


def _with_name_rule(var: Variable, max_length: int) -> Variable:
    """The cluster_name check, derived from the platform's length limit (its longest
    resource name), so the module and the cluster-config loader agree."""
    if var.name != "cluster_name":
        return var
    rule = Validation(
        f'can(regex("^[a-z][a-z0-9-]{{0,{max_length - 2}}}[a-z0-9]$", var.cluster_name))',
        f"The cluster_name must be a DNS label of at most {max_length} characters: "
        "lowercase letters, digits and '-'.",
    )
    return replace(var, validations=(rule, *var.validations))


@cache
def shared_variables() -> dict[str, Variable]:
    """`_common/variables.yaml`: variables declared identically by every cluster module."""
    path = resources.files(__name__).joinpath("_common", "variables.yaml")
    raw: dict[str, dict[str, Any]] = yaml.safe_load(path.read_text())
    return {name: _variable({"name": name, **spec}) for name, spec in raw.items()}


def _variable(raw: dict[str, Any]) -> Variable:
    if set(raw) == {"shared"}:
        return shared_variables()[raw["shared"]]
    raw = dict(raw)
    # platform.yaml spells one validation as {condition, message}.
    if "validation" in raw:
        rule = raw.pop("validation")
        raw["validations"] = (Validation(rule["condition"], rule["message"]),)
    var = Variable(**raw)
    if var.required and var.default is not None:
        raise ValueError(f"variable {var.name}: required variables take no default")
    return var


def _interface(raw: dict[str, Any]) -> Interface:
    pool = raw.get("pool")
    return Interface(
        variables=tuple(_variable(v) for v in raw["variables"]),
        outputs=tuple(Output(**o) for o in raw["outputs"]),
        pool=_pool_wiring(pool) if pool else None,
    )


def _pool_wiring(raw: dict[str, Any]) -> PoolWiring:
    return PoolWiring(
        outputs=dict(raw.get("outputs", {})),
        cluster=tuple(raw.get("cluster", ())),
        inherit=tuple(raw.get("inherit", ())),
        machine=tuple(raw.get("machine", ())),
    )
