"""Run real Terraform over a module, offline: init, fmt, validate, plan, apply, re-plan.

`verify_module(dir, variables)` copies the module (and the local modules it calls) to a
scratch workspace, validates it as written, strips SSH provisioners there for plan and
apply, serves providers from a private mirror
(real binaries where usable, schema-faithful fakes otherwise) and drives the Terraform CLI.
Any rejection raises `VerificationError` with Terraform's own diagnostics.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typhoon_tf.testing.diagnostics import (
    Diagnostic,
    VerificationError,
    diagnostics_from_stream,
)
from typhoon_tf.testing.fork_server import fork_server
from typhoon_tf.testing.mirror import Mirror, ProviderChoice, build_mirror, vendored_fakes
from typhoon_tf.testing.provisioners import (
    RemovedBlock,
    find_remote_blocks_in,
    strip_backend,
    strip_remote_provisioners,
)
from typhoon_tf.testing.rendered import iter_resources, rendered_node_configs
from typhoon_tf.testing.ssh_refs import Schemas, check_ssh_references
from typhoon_tf.testing.terraform_bin import TerraformBinary, find_terraform, terraform_env

_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.MULTILINE)
_COPY_IGNORE = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*", "*.tfplan", ".git"
)
VARS_FILE = "typhoon-verify.tfvars.json"
StepHook = Callable[[str, float], None]


@dataclass
class Result:
    """What a verification run produced; `state` is None when apply was skipped."""

    workspace: Path
    module_path: Path  # the module's copy inside `workspace`
    terraform: TerraformBinary
    providers: tuple[ProviderChoice, ...]
    removed_blocks: list[RemovedBlock]  # SSH provisioners/connections and backend blocks
    timings: dict[str, float] = field(default_factory=dict)
    validate: dict[str, Any] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    zygote_pid: int | None = None  # the fork server that started the fakes, if one did

    def provider(self, type_or_address: str) -> ProviderChoice:
        for choice in self.providers:
            if type_or_address in (choice.address, choice.type_name):
                return choice
        raise KeyError(type_or_address)

    @property
    def total_seconds(self) -> float:
        return sum(self.timings.values())

    def output(self, name: str) -> Any:
        return self.outputs[name]["value"]

    def planned_changes(self) -> dict[str, list[str]]:
        """Resource address -> planned actions (from the first plan)."""
        return {
            rc["address"]: rc["change"]["actions"] for rc in self.plan.get("resource_changes", [])
        }

    def resources(self, type_name: str | None = None) -> list[dict[str, Any]]:
        """Resources after apply (or planned values when apply was skipped)."""
        values = self.state.get("values") if self.state else self.plan.get("planned_values")
        return [r for r in iter_resources(values) if type_name in (None, r.get("type"))]

    def resource(self, address: str) -> dict[str, Any]:
        for resource in self.resources():
            if resource.get("address") == address:
                return resource
        raise KeyError(address)

    def rendered_user_data(self) -> dict[str, str]:
        """Address -> decoded user_data / custom_data / metadata user-data / raw_ignition."""
        values = self.state.get("values") if self.state else self.plan.get("planned_values")
        return rendered_node_configs(values)


# -- workspace ----------------------------------------------------------------------------


def _local_module_dirs(module_dir: Path) -> set[Path]:
    """`module_dir` plus every directory it reaches through local `source = "./..."`."""
    seen: set[Path] = set()
    pending = [module_dir.resolve()]
    while pending:
        current = pending.pop()
        if current in seen or not current.is_dir():
            continue
        seen.add(current)
        for tf_file in current.glob("*.tf"):
            for rel in _LOCAL_SOURCE.findall(tf_file.read_text()):
                pending.append((current / rel).resolve())
    return seen


def prepare_workspace(module_dir: Path, workspace: Path) -> Path:
    """Copy the module and its local module tree, keeping relative layout; return the copy."""
    dirs = _local_module_dirs(module_dir)
    anchor = Path(os.path.commonpath([str(d) for d in dirs]))
    tree = workspace / "src"
    # A reused workdir must not carry state or plugins from an earlier run.
    shutil.rmtree(tree, ignore_errors=True)
    for directory in sorted(dirs):
        target = tree / directory.relative_to(anchor)
        shutil.copytree(directory, target, ignore=_COPY_IGNORE, dirs_exist_ok=True, symlinks=False)
    return tree / module_dir.resolve().relative_to(anchor)


# -- running terraform --------------------------------------------------------------------


@dataclass
class _Runner:
    terraform: TerraformBinary
    cwd: Path
    env: dict[str, str]
    timings: dict[str, float]
    on_step: StepHook | None
    rename_file: Callable[[str], str]

    def run(
        self, step: str, args: list[str], ok: Iterable[int] = (0,)
    ) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        proc = subprocess.run(
            [str(self.terraform.path), *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.monotonic() - started
        self.timings[step] = self.timings.get(step, 0.0) + elapsed
        if self.on_step is not None:
            self.on_step(step, elapsed)
        if proc.returncode not in tuple(ok):
            diags = diagnostics_from_stream(proc.stdout, self.rename_file)
            raise VerificationError(step, diags, proc.stdout + proc.stderr)
        return proc


def _required_providers(runner: _Runner) -> dict[str, str]:
    """Provider address -> combined version constraint, via `terraform providers`."""
    runner.run("get", ["get", "-no-color"])
    text = runner.run("providers", ["providers", "-no-color"]).stdout
    text = text.split("Providers required by state")[0]
    found: dict[str, list[str]] = {}
    for address, constraint in re.findall(r"provider\[([^\]]+)\]([^\n]*)", text):
        found.setdefault(address, [])
        if constraint.strip():
            found[address].append(constraint.strip())
    return {a: ", ".join(sorted(set(c))) for a, c in found.items()}


def _provider_schemas(runner: _Runner, mirror: Mirror) -> Schemas:
    """The schemas of the providers in use: the vendored files where every provider has one
    (read in-process), else `terraform providers schema -json` (which starts them all)."""
    vendored = vendored_fakes()
    if all(choice.address in vendored for choice in mirror.choices):
        docs = [json.loads(vendored[c.address].schema_file.read_text()) for c in mirror.choices]
        return Schemas.merge(Schemas.from_json(doc) for doc in docs)
    shown = runner.run("schemas", ["providers", "schema", "-json"]).stdout
    return Schemas.from_json(json.loads(shown))


def _ssh_reference_problems(runner: _Runner, tree: Path, mirror: Mirror) -> list[Diagnostic]:
    """Typos in SSH blocks' resource references, which `terraform validate` lets through."""
    if not any(find_remote_blocks_in(tree)):
        return []
    schemas = _provider_schemas(runner, mirror)
    return check_ssh_references(tree, schemas, runner.rename_file)


def _validate(runner: _Runner, extra: list[Diagnostic]) -> dict[str, Any]:
    """`terraform validate -json`; `extra` diagnostics (our own checks) fail it too."""
    proc = runner.run("validate", ["validate", "-json", "-no-color"], ok=(0, 1))
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise VerificationError("validate", extra, proc.stdout + proc.stderr) from None
    diags = [Diagnostic.from_json(d, runner.rename_file) for d in report.get("diagnostics", [])]
    if not report.get("valid", False) or extra:
        raise VerificationError("validate", diags + extra, proc.stdout)
    return report


# Lines of a unified diff (`fmt -diff`): headers, hunk markers, context/added/removed lines
# and "\ No newline at end of file". Anything else in fmt's output is a file name.
_DIFF_LINE_PREFIXES = ("--- ", "+++ ", "@@", " ", "+", "-", "\\")


def fmt_findings(stdout: str) -> dict[str, str]:
    """File name -> its diff, from `terraform fmt -check -diff` output (list mode)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in stdout.splitlines():
        if line and not line.startswith(_DIFF_LINE_PREFIXES):
            current = found.setdefault(line, [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(diff) for name, diff in found.items()}


def _fmt_check(runner: _Runner, tree: Path) -> None:
    args = ["fmt", "-check", "-recursive", "-diff", "-no-color", str(tree)]
    proc = runner.run("fmt", args, ok=(0, 3))
    if proc.returncode != 0:
        diags = [
            Diagnostic("error", "File is not terraform fmt canonical", diff, runner.rename_file(f))
            for f, diff in fmt_findings(proc.stdout).items()
        ]
        raise VerificationError("fmt", diags, proc.stdout)


def _no_change_replan(runner: _Runner, var_args: list[str]) -> None:
    proc = runner.run(
        "replan",
        [
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-no-color",
            "-out=replan.tfplan",
            *var_args,
        ],
        ok=(0, 2),
    )
    if proc.returncode == 2:
        shown = json.loads(runner.run("show-replan", ["show", "-json", "replan.tfplan"]).stdout)
        changes = [
            Diagnostic(
                "error",
                f"{rc['address']} would {'/'.join(rc['change']['actions'])} after apply",
                "",
            )
            for rc in shown.get("resource_changes", [])
            if rc["change"]["actions"] != ["no-op"]
        ] or [Diagnostic("error", "re-plan after apply reports changes", proc.stdout[-2000:])]
        raise VerificationError("replan", changes, proc.stdout)


def shared_terraform_home() -> Path:
    """A private HOME shared by all runs, so the fakes' gRPC TLS certificate is made once."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    home = cache / "typhoon-tf" / "terraform-home"
    home.mkdir(parents=True, exist_ok=True)
    return home


# -- entry point --------------------------------------------------------------------------


def verify_module(
    module_dir: str | Path,
    variables: Mapping[str, Any] | None = None,
    *,
    workdir: str | Path | None = None,
    apply: bool = True,
    check_fmt: bool = True,
    terraform: TerraformBinary | None = None,
    allow_real_cloud: bool = False,
    prefer_fake: Iterable[str] = (),
    on_step: StepHook | None = None,
    keep_workspace: bool = False,
) -> Result:
    """Verify `module_dir` with real Terraform; raise `VerificationError` on any rejection.

    `variables` are the root module's input variables (written as a .tfvars.json).
    `workdir` is the scratch workspace (kept); without it a temporary one is used and
    removed afterwards unless `keep_workspace`. `apply=False` stops after plan.
    `allow_real_cloud` lets real cloud provider binaries (e.g. the image's AWS provider)
    answer; they cannot apply offline, so it implies validate-only (no plan/apply).
    `prefer_fake` names providers to serve from a fake even when a real binary fits.
    """
    module_dir = Path(module_dir)
    if not module_dir.is_dir():
        raise FileNotFoundError(f"module directory not found: {module_dir}")
    if workdir is not None:
        return _verify(
            module_dir,
            variables,
            Path(workdir),
            apply,
            check_fmt,
            terraform,
            allow_real_cloud,
            prefer_fake,
            on_step,
        )
    scratch = Path(tempfile.mkdtemp(prefix="typhoon-verify-"))
    try:
        return _verify(
            module_dir,
            variables,
            scratch,
            apply,
            check_fmt,
            terraform,
            allow_real_cloud,
            prefer_fake,
            on_step,
        )
    finally:
        if not keep_workspace:
            shutil.rmtree(scratch, ignore_errors=True)


def _verify(
    module_dir: Path,
    variables: Mapping[str, Any] | None,
    workspace: Path,
    apply: bool,
    check_fmt: bool,
    terraform: TerraformBinary | None,
    allow_real_cloud: bool,
    prefer_fake: Iterable[str],
    on_step: StepHook | None,
) -> Result:
    terraform = terraform or find_terraform()
    workspace.mkdir(parents=True, exist_ok=True)
    module_path = prepare_workspace(module_dir, workspace)
    src_root = workspace / "src"
    original_root = Path(os.path.commonpath([str(d) for d in _local_module_dirs(module_dir)]))

    def rename_file(name: str) -> str:
        # Diagnostics name files relative to the copy; point them back at the originals.
        candidate = (module_path / name).resolve()
        try:
            return str(original_root / candidate.relative_to(src_root.resolve()))
        except ValueError:
            return name

    home = shared_terraform_home()
    cli_config = workspace / "terraformrc"
    cli_config.write_text("")  # providers are listed before the mirror exists
    timings: dict[str, float] = {}
    runner = _Runner(
        terraform, module_path, terraform_env(cli_config, home), timings, on_step, rename_file
    )

    if check_fmt:
        _fmt_check(runner, src_root)
    # The backend goes before init (a remote backend cannot be initialised offline); the
    # SSH provisioners stay until the module as written has been validated.
    removed = strip_backend(src_root, module_path)
    requirements = _required_providers(runner)
    shutil.rmtree(workspace / "mirror", ignore_errors=True)
    mirror: Mirror = build_mirror(
        workspace / "mirror",
        requirements,
        allow_real_cloud=allow_real_cloud,
        prefer_fake=prefer_fake,
    )
    if mirror.unserved:
        raise VerificationError(
            "providers",
            [
                Diagnostic(
                    "error",
                    f"No offline provider for {address}",
                    "no real binary in a local filesystem mirror and no vendored schema "
                    "in typhoon_tf/testing/provider_schemas",
                )
                for address in mirror.unserved
            ],
        )
    cli_config.write_text(mirror.cli_config_text())
    shutil.rmtree(module_path / ".terraform", ignore_errors=True)
    result = Result(workspace, module_path, terraform, mirror.choices, removed, timings=timings)
    with fork_server(mirror) as result.zygote_pid:
        _run_cycle(runner, result, mirror, variables, apply, allow_real_cloud)
    return result


def _run_cycle(
    runner: _Runner,
    result: Result,
    mirror: Mirror,
    variables: Mapping[str, Any] | None,
    apply: bool,
    allow_real_cloud: bool,
) -> None:
    """init, validate as written, then (SSH blocks stripped) plan, apply, re-plan."""
    src_root = result.workspace / "src"
    runner.run("init", ["init", "-input=false", "-no-color"])
    # Validate the module as written, `connection` and `provisioner` blocks included: their
    # references, arguments and expressions are checked here and nowhere else.
    result.validate = _validate(runner, _ssh_reference_problems(runner, src_root, mirror))
    if allow_real_cloud:
        return
    # Only plan/apply run without them: there is no host to SSH into offline.
    result.removed_blocks = strip_remote_provisioners(src_root, src_root) + result.removed_blocks

    var_file = result.workspace / VARS_FILE
    var_file.write_text(json.dumps(dict(variables or {}), indent=2, sort_keys=True))
    var_args = [f"-var-file={var_file}"]
    runner.run("plan", ["plan", "-input=false", "-json", "-out=verify.tfplan", *var_args])
    result.plan = json.loads(runner.run("show-plan", ["show", "-json", "verify.tfplan"]).stdout)
    if not apply:
        return

    runner.run("apply", ["apply", "-input=false", "-json", "verify.tfplan"])
    result.state = json.loads(runner.run("show-state", ["show", "-json"]).stdout)
    result.outputs = json.loads(runner.run("output", ["output", "-json"]).stdout)
    _no_change_replan(runner, var_args)
