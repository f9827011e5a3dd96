"""The public library API, re-exported by `typhoon_tf` (see docs/library.md).

Each function is a thin composition of what the CLI calls, so a library user gets the same
validation, the same error messages and the same on-disk rules as `typhoon-tf ...`.

Import cost matters: `import typhoon_tf` runs this module, and `typhoon-tf --help` and the
`external` data program pay for it on every start. So only the standard library is imported
here; everything else is imported inside the function that needs it (YAML, JSON Schema,
Jinja, the driver, cloud SDKs), and types come in under TYPE_CHECKING.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal, TextIO, get_args

from typhoon_tf.errors import UserError

if TYPE_CHECKING:
    from typhoon_tf.config.model import ClusterConfig, WorkerPool
    from typhoon_tf.driver.workflow import Options
    from typhoon_tf.ignition.problem import Problem
    from typhoon_tf.nodes import NodeOptions

Platform = Literal["aws", "azure", "bare-metal", "digital-ocean", "google-cloud"]
OperatingSystem = Literal["fedora-coreos", "flatcar-linux"]
Role = Literal["controller", "worker"]
BackendKind = Literal["s3", "gcs", "azurerm"]
# Spelled out (not read from the packages that define them) to keep the import light;
# tests/test_library_api.py checks they match typhoon_tf.platforms and typhoon_tf.nodes.
PLATFORMS: tuple[Platform, ...] = get_args(Platform)
OPERATING_SYSTEMS: tuple[OperatingSystem, ...] = get_args(OperatingSystem)
ROLES: tuple[Role, ...] = get_args(Role)

# What a config built in Python is called in error messages (the YAML loader uses the file).
PYTHON_SOURCE = "<python>"

# ------------------------------------------------------------------------ cluster configs


def cluster_config(
    platform: str,
    os: str,
    cluster: Mapping[str, object],
    *,
    name: str | None = None,
    provider: Mapping[str, str | int | float | bool] | None = None,
    ignition_version: str | None = None,
    snippets: Mapping[str, Sequence[str | PurePath]] | None = None,
    coordinated_updates: bool = False,
    worker_pools: Sequence[Mapping[str, object]] | None = None,
    source: str = PYTHON_SOURCE,
    base_dir: str | Path | None = None,
) -> ClusterConfig:
    """A validated cluster config, built in Python; the arguments are cluster.yaml's keys.

    `cluster` holds Typhoon's module variables (`cluster_name`, `worker_count`, ...).
    `worker_pools` holds named pools with the workers submodule's variables, e.g.
    `[{"name": "arm", "arch": "arm64", "node_labels": ["pool=arm"]}]` (bare-metal:
    `{"name": "gpu", "machines": [{"name": ..., "mac": ..., "domain": ...}]}`).
    Snippet paths are relative to `base_dir` (default: the current directory). A mistake
    raises `UserError` naming `source` and the key path, e.g.
    `<python>: cluster.worker_count: expected an integer, got a string`.
    """
    document: dict[str, object] = {"platform": platform, "os": os, "cluster": cluster}
    if name is not None:
        document["name"] = name
    if ignition_version is not None:
        document["ignition_version"] = ignition_version
    if provider is not None:
        document["provider"] = provider
    if snippets is not None:
        document["snippets"] = {
            role: [str(p) if isinstance(p, PurePath) else p for p in paths]
            for role, paths in snippets.items()
        }
    if coordinated_updates:
        document["coordinated_updates"] = True
    if worker_pools is not None:
        document["worker_pools"] = list(worker_pools)
    return cluster_config_from_mapping(document, source=source, base_dir=base_dir)


def cluster_config_from_mapping(
    document: Mapping[str, object],
    *,
    source: str = PYTHON_SOURCE,
    base_dir: str | Path | None = None,
) -> ClusterConfig:
    """Validate a mapping shaped like cluster.yaml (e.g. read from JSON or built by code).

    The mapping goes through the YAML loader itself, so the JSON Schema, the cross-field
    checks, the input bounds and every message are the ones `typhoon-tf generate -c` gives.
    """
    import yaml

    from typhoon_tf.config import parse_cluster_config

    # Round-trip through YAML text: the loader is the single place that validates, and
    # safe_dump writes nothing the loader reads back differently (bools, null-like strings).
    text = yaml.safe_dump(_plain(document, (), source), sort_keys=False, allow_unicode=True)
    directory = Path.cwd() if base_dir is None else Path(base_dir)
    try:
        return parse_cluster_config(text, file=source, base_dir=directory)
    except UserError as err:
        raise _without_position(err, source) from None


def load_cluster_config(path: str | Path, *, os: str | None = None) -> ClusterConfig:
    """Read and validate a cluster.yaml (`os` replaces the file's, like `generate --os`)."""
    from typhoon_tf.config import load_cluster_config as load

    return load(path, os_override=os)


def example_config(platform: str, os: str | None = None) -> ClusterConfig:
    """The embedded example cluster of `platform` (what `typhoon-tf generate` uses without -c).

    Its DNS zone and SSH key are documentation values: replace them before `apply`.
    """
    from typhoon_tf.config import example_config as example

    return example(platform, os)


def _plain(
    value: object, path: tuple[str | int, ...], source: str, active: frozenset[int] = frozenset()
) -> object:
    """`value` as YAML-representable plain data; anything else is a `UserError` at `path`.

    Nesting and cycles get the YAML loader's messages (it never sees them: the copy made
    here has neither aliases nor cycles).
    """
    from typhoon_tf.inputs import YAML_DEPTH_LIMIT
    from typhoon_tf.yamlsrc import format_path

    if value is None or isinstance(value, str | bool | int | float):
        return value
    problem = None
    if id(value) in active:
        problem = "recursive value: the value contains itself"
    elif len(path) >= YAML_DEPTH_LIMIT:
        problem = f"nested more than {YAML_DEPTH_LIMIT} levels deep"
    elif not isinstance(value, Mapping | list | tuple):
        problem = f"{type(value).__name__} values are not supported here"
    if problem is not None:
        raise UserError(problem, file=source, path=format_path(path))
    inner = active | {id(value)}
    if isinstance(value, list | tuple):
        return [_plain(item, (*path, i), source, inner) for i, item in enumerate(value)]
    assert isinstance(value, Mapping)  # the only other kind that passed the checks above
    return _plain_mapping(value, path, source, inner)


def _plain_mapping(
    value: Mapping[object, object], path: tuple[str | int, ...], source: str, active: frozenset[int]
) -> dict[str, object]:
    from typhoon_tf.yamlsrc import format_path

    out: dict[str, object] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            message = f"mapping keys must be strings, got {key!r}"
            raise UserError(message, file=source, path=format_path(path))
        out[key] = _plain(item, (*path, key), source, active)
    return out


def _without_position(err: UserError, source: str) -> UserError:
    # Lines and columns would point into the intermediate YAML text, which the caller never
    # saw; errors about other files (a snippet's own lines) keep theirs.
    if err.file == source:
        err.line = err.column = None
    return err


# ----------------------------------------------------------------------------- generate


def generate_root_module(
    config: ClusterConfig,
    out_dir: str | Path,
    *,
    force: bool = False,
    backend: BackendKind | None = None,
    backend_config: Mapping[str, str | bool] | None = None,
) -> Path:
    """Write the Terraform root module of `config` to `out_dir`; return the directory.

    The rules are `typhoon-tf generate`'s: atomic, refuses a directory typhoon-tf did not
    write unless `force`, and on regeneration rewrites only its own files (state,
    `.terraform/` and the user's files stay). `backend` adds a locked remote state backend
    configured by `backend_config` (e.g. `{"bucket": "acme-tf"}`).
    """
    from typhoon_tf.generate import generate as write_root
    from typhoon_tf.generate.backend import backend_options
    from typhoon_tf.generate.output_dir import check_generated_dir

    if backend is None and backend_config:
        raise UserError("backend_config needs backend='s3', 'gcs' or 'azurerm'")
    chosen = None if backend is None else (backend, dict(backend_config or {}))
    out = Path(out_dir)
    # As the CLI does: refuse what cannot be written before rendering anything (slow).
    if chosen is not None:
        backend_options(*chosen)
    check_generated_dir(out, platform=config.platform, force=force)
    return write_root(config, out, force=force, backend=chosen)


# -------------------------------------------------------------------------------- nodes


def render_node(
    config: ClusterConfig,
    role: str,
    values: Mapping[str, object] | None = None,
    *,
    pool: str | None = None,
) -> dict[str, Any]:
    """The Ignition config a `role` node of `config` boots with, as a dict.

    Apply-time values (kubeconfig, etcd names, ...) take documented examples unless
    `values` gives them; the SSH key and the cluster DNS IP come from `config`.
    Generate-time snippets, the Ignition version and coordinated updates are applied.
    `pool` names a worker pool: its node labels, taints, architecture and snippets
    (transpiled to the data URLs Ignition merges at boot, as the module does) apply.
    """
    from typhoon_tf.nodes import NodeOptions, hole_names, render

    options = NodeOptions(
        ignition_version=config.ignition_version, fleetlock_url=_fleetlock_url(config)
    )
    if pool is not None:
        if role != "worker":
            raise UserError(f"a worker pool renders worker nodes, not {role} nodes")
        options = _pool_options(config, pool, options)
    holes = set(hole_names(config.platform, config.os, role, options))
    merged = {k: v for k, v in _config_hole_values(config).items() if k in holes}
    if pool is not None:
        merged.update({k: v for k, v in _pool_hole_values(config, pool).items() if k in holes})
    merged.update(values or {})
    return render(
        config.platform,
        config.os,
        role,
        merged,
        options,
        snippets=config.snippets_for(role),
    )


def ignition_json(config: Mapping[str, Any], *, pretty: bool = False) -> str:
    """An Ignition config as JSON text, byte for byte as Butane prints it (no newline)."""
    from typhoon_tf.butane import serialize

    return serialize(dict(config), pretty=pretty)


def _service_cidr(config: ClusterConfig) -> str:
    from typhoon_tf.addons import DEFAULT_SERVICE_CIDR
    from typhoon_tf.platforms import load_platform

    try:
        default = load_platform(config.platform).variable("service_cidr").default
    except KeyError:
        default = DEFAULT_SERVICE_CIDR
    return str(config.variables.get("service_cidr", default))


def _fleetlock_url(config: ClusterConfig) -> str | None:
    # The same choice typhoon_tf.generate.root_module makes for the modules it writes.
    from typhoon_tf.addons import UPDATE_COORDINATOR, fleetlock_url

    if not config.coordinated_updates or UPDATE_COORDINATOR[config.os] != "fleetlock":
        return None
    return fleetlock_url(_service_cidr(config))


def _find_pool(config: ClusterConfig, name: str) -> WorkerPool:
    try:
        return config.pool(name)
    except KeyError:
        known = ", ".join(p.name for p in config.worker_pools) or "none"
        raise UserError(
            f"no worker pool {name!r} in the cluster config (pools: {known})",
            file=config.source,
            path="worker_pools",
        ) from None


def _pool_options(config: ClusterConfig, name: str, options: NodeOptions) -> NodeOptions:
    """Node options of pool `name`: its architecture, where the pool sets one."""
    import dataclasses

    arch = _find_pool(config, name).variables.get("arch")
    return dataclasses.replace(options, arch=arch) if arch else options


def _pool_hole_values(config: ClusterConfig, name: str) -> dict[str, object]:
    """The pool's labels, taints and snippets as the workers module fills those holes
    (snippets through the same transpiler as the `external` data program)."""
    from typhoon_tf.external import transpile_snippets
    from typhoon_tf.nodes.profiles import OS_PROFILES

    variables = _find_pool(config, name).variables
    values: dict[str, object] = {
        "node_labels": list(variables.get("node_labels") or ()),
        "node_taints": list(variables.get("node_taints") or ()),
    }
    snippets = list(variables.get("snippets") or ())
    if snippets:
        profile = OS_PROFILES[config.os]
        version = config.ignition_version or profile.default_ignition_version
        values["snippets"] = transpile_snippets(snippets, profile.butane_variant, version)
    return values


def _config_hole_values(config: ClusterConfig) -> dict[str, object]:
    import ipaddress

    network = ipaddress.ip_network(_service_cidr(config))
    values: dict[str, object] = {"cluster_dns_service_ip": str(network.network_address + 10)}
    if "ssh_authorized_key" in config.variables:
        values["ssh_authorized_key"] = config.variables["ssh_authorized_key"]
    return values


# ---------------------------------------------------------------------- Butane, Ignition


def transpile_butane(
    text: str,
    *,
    strict: bool = False,
    files_dir: str | Path | None = None,
    source: str = "<butane>",
) -> dict[str, Any]:
    """Butane YAML → Ignition config dict, as `typhoon-tf butane` (and Butane) do.

    `strict` turns warnings into errors; `files_dir` is Butane's `-d` for local files.
    Problems raise `UserError` with `source`, line, column and key path.
    """
    from typhoon_tf.butane import translate

    return translate(text, strict=strict, files_dir=files_dir, source_name=source)


def validate_ignition(config: object, *, warnings: bool = False) -> list[Problem]:
    """The problems Ignition would find in `config` (spec 2.3.0, 3.0.0–3.5.0).

    Empty means valid. With `warnings`, non-fatal findings (unknown keys) are listed too;
    `Problem.is_error` tells them apart.
    """
    from typhoon_tf.ignition.validate import validate

    return validate(config, warnings=warnings)


def check_ignition(config: object, *, source: str = "<config>") -> None:
    """Raise `UserError` naming `source` and the key path when `config` is not valid."""
    from typhoon_tf.ignition.validate import check

    check(config, source=source)


# ------------------------------------------------------------------------------- driver


def terraform_init(
    directory: str | Path,
    *,
    binary: str | None = None,
    env: Mapping[str, str] | None = None,
    raw: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> None:
    """`terraform init -input=false` in `directory` (after the Terraform preflight check).

    `binary` is a name on PATH or a path (default: `$TYPHOON_TF_TERRAFORM`, then
    `terraform`, then `tofu`); `env` replaces the environment Terraform sees; progress
    goes to `out`/`err` (default: sys.stdout/sys.stderr).
    """
    from typhoon_tf.driver import init

    init(_options(directory, binary=binary, env=env, raw=raw, out=out, err=err))


def terraform_plan(
    directory: str | Path,
    *,
    allow_controller_replacement: bool = False,
    skip_preflight: Collection[str] = (),
    binary: str | None = None,
    env: Mapping[str, str] | None = None,
    raw: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> dict[str, Any]:
    """Preflight, init if needed, plan; return the plan as `terraform show -json` gives it.

    The plan is saved as `typhoon-tf.tfplan` for `terraform_apply(..., plan_file=...)`.
    Raises `Refused` when it replaces or destroys controllers (unless allowed),
    `TerraformFailed` when Terraform fails, `UserError` when a preflight check fails.
    """
    from typhoon_tf.driver import plan

    options = _options(
        directory,
        binary=binary,
        env=env,
        raw=raw,
        out=out,
        err=err,
        skip_preflight=skip_preflight,
        allow_controller_replacement=allow_controller_replacement,
    )
    return plan(options)


def terraform_apply(
    directory: str | Path,
    *,
    plan_file: str | None = None,
    allow_controller_replacement: bool = False,
    skip_preflight: Collection[str] = (),
    binary: str | None = None,
    env: Mapping[str, str] | None = None,
    raw: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> dict[str, Any]:
    """Preflight, init if needed, plan (or take `plan_file`), guard, apply; return outputs.

    Outputs are `terraform output -json`'s: name -> {"value", "type", "sensitive"}.
    Raises as `terraform_plan` does.
    """
    from typhoon_tf.driver import apply

    options = _options(
        directory,
        binary=binary,
        env=env,
        raw=raw,
        out=out,
        err=err,
        skip_preflight=skip_preflight,
        allow_controller_replacement=allow_controller_replacement,
    )
    return apply(options, plan_file)


def terraform_outputs(
    directory: str | Path,
    *,
    binary: str | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The root module's outputs: name -> {"value", "type", "sensitive"} (sensitive too)."""
    from typhoon_tf.driver import outputs

    return outputs(_options(directory, binary=binary, env=env))


def _options(
    directory: str | Path,
    *,
    binary: str | None,
    env: Mapping[str, str] | None,
    raw: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
    skip_preflight: Collection[str] = (),
    allow_controller_replacement: bool = False,
) -> Options:
    from typhoon_tf.driver import Options

    # sys.stdout is read per call, not at import, so contextlib.redirect_stdout works.
    return Options(
        Path(directory),
        binary=binary,
        raw=raw,
        skip_preflight=tuple(skip_preflight),
        allow_controller_replacement=allow_controller_replacement,
        env=None if env is None else dict(env),
        out=sys.stdout if out is None else out,
        err=sys.stderr if err is None else err,
    )
