"""Plan a Typhoon user's root module and state against typhoon-tf's modules, offline.

A migration fixture is a folder with a Typhoon user's `main.tf` (module sources start with
the placeholder `MODULES/`) and the `terraform.tfstate` Typhoon left after apply. Switching
`source` to our `modules/` tree and running `terraform plan -refresh=false` over that state
shows what the switch would do to a running cluster; `destructive_changes` lists what a
drop-in replacement must never plan.

Data sources are read even with `-refresh=false`; the fakes answer them with the values the
state recorded (`recorded_data_values`), so the plan only shows changes from the modules.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typhoon_tf.testing.diagnostics import Diagnostic, VerificationError
from typhoon_tf.testing.fakeprovider.handlers import RECORDED_DATA_ENV
from typhoon_tf.testing.fork_server import fork_server
from typhoon_tf.testing.harness import _required_providers, _Runner, shared_terraform_home
from typhoon_tf.testing.mirror import build_mirror
from typhoon_tf.testing.terraform_bin import TerraformBinary, find_terraform, terraform_env

PLACEHOLDER = '"MODULES/'

# Replacing these only rolls worker nodes or changes what Matchbox serves at the next PXE
# boot, as a Typhoon version upgrade does too.
ROLLING_TYPES = frozenset(
    {
        "aws_launch_template",
        "google_compute_instance_template",
        "google_compute_region_instance_template",
        "matchbox_profile",
        "matchbox_group",
    }
)
# Provisioner-only resources: re-running them is their whole purpose.
PROVISIONER_TYPES = frozenset({"null_resource", "terraform_data"})


@dataclass(frozen=True)
class Change:
    address: str
    type: str
    actions: tuple[str, ...]
    reason: str = ""
    previous_address: str | None = None
    changed: tuple[str, ...] = ()  # top-level attributes whose planned value differs

    @property
    def action(self) -> str:
        if self.actions == ("no-op",) and self.previous_address:
            return "move"
        if set(self.actions) == {"delete", "create"}:
            return "replace"
        return "+".join(self.actions)

    def describe(self) -> str:
        moved = f" (from {self.previous_address})" if self.previous_address else ""
        reason = f" [{self.reason}]" if self.reason else ""
        return f"{self.action} {self.address}{moved}{reason}"


@dataclass
class MigrationPlan:
    fixture: Path
    workspace: Path
    terraform: TerraformBinary
    plan: dict[str, Any] = field(default_factory=dict)

    def changes(self) -> list[Change]:
        return [
            Change(
                rc["address"],
                rc["type"],
                tuple(rc["change"]["actions"]),
                rc.get("action_reason", ""),
                rc.get("previous_address"),
                _changed_attributes(rc["change"]),
            )
            for rc in self.plan.get("resource_changes", [])
            if rc.get("mode") == "managed"
        ]

    def counts(self) -> dict[str, int]:
        """Planned managed-resource changes per action (move = no-op with a moved block)."""
        return dict(sorted(Counter(c.action for c in self.changes()).items()))

    def destructive(self) -> list[Change]:
        return destructive_changes(self.changes())

    def updates(self) -> list[Change]:
        return [c for c in self.changes() if c.action == "update"]


def _changed_attributes(change: Mapping[str, Any]) -> tuple[str, ...]:
    before = change.get("before") or {}
    after = change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    keys = set(before) | set(after) | set(unknown)
    return tuple(sorted(k for k in keys if before.get(k) != after.get(k) or unknown.get(k) is True))


def is_allowed_delete(change: Change) -> bool:
    """Deletes a switch may plan: provisioner re-runs and replacements that only roll nodes."""
    if change.type in PROVISIONER_TYPES:
        return True
    if "create" not in change.actions:
        return False
    if change.type in ROLLING_TYPES:
        return True
    return change.type == "digitalocean_droplet" and ".digitalocean_droplet.workers" in (
        change.address
    )


def destructive_changes(changes: Iterable[Change]) -> list[Change]:
    return [c for c in changes if "delete" in c.actions and not is_allowed_delete(c)]


def recorded_data_values(state: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Data-source type -> the attributes the state recorded for it (first instance wins)."""
    recorded: dict[str, dict[str, Any]] = {}
    for resource in state.get("resources", []):
        if resource.get("mode") != "data" or not resource.get("instances"):
            continue
        attributes = resource["instances"][0].get("attributes") or {}
        recorded.setdefault(resource["type"], attributes)
    return recorded


def prepare_fixture(fixture: Path, modules_tree: Path, workspace: Path) -> Path:
    """Copy the fixture into `workspace/root` with `MODULES/` pointing at `modules_tree`."""
    root = workspace / "root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(fixture, root, ignore=shutil.ignore_patterns(".terraform*"))
    main_tf = root / "main.tf"
    text = main_tf.read_text()
    if PLACEHOLDER not in text:
        raise ValueError(f"{main_tf}: no module source starts with {PLACEHOLDER[1:]}")
    # A relative path: Terraform copies an absolute source as a package, and our modules'
    # `../../bootstrap` calls would then escape it.
    relative = os.path.relpath(modules_tree.resolve(), root.resolve())
    main_tf.write_text(text.replace(PLACEHOLDER, f'"{relative}/'))
    return root


def plan_migration(
    fixture: str | Path,
    modules_tree: str | Path,
    workspace: str | Path,
    *,
    terraform: TerraformBinary | None = None,
    allow_real_cloud: bool = False,
) -> MigrationPlan:
    """`terraform init` + `plan -refresh=false` of `fixture` over our `modules_tree`."""
    fixture, modules_tree, workspace = Path(fixture), Path(modules_tree), Path(workspace)
    terraform = terraform or find_terraform()
    workspace.mkdir(parents=True, exist_ok=True)
    root = prepare_fixture(fixture, modules_tree, workspace)
    state = json.loads((root / "terraform.tfstate").read_text())
    recorded = workspace / "recorded-data.json"
    recorded.write_text(json.dumps(recorded_data_values(state), sort_keys=True))

    cli_config = workspace / "terraformrc"
    cli_config.write_text("")
    env = terraform_env(cli_config, shared_terraform_home())
    env[RECORDED_DATA_ENV] = str(recorded)
    runner = _Runner(terraform, root, env, {}, None, lambda name: name)

    requirements = _required_providers_with_state(runner)
    mirror = build_mirror(workspace / "mirror", requirements, allow_real_cloud=allow_real_cloud)
    if mirror.unserved:
        raise VerificationError(
            "providers",
            [Diagnostic("error", f"No offline provider for {a}", "") for a in mirror.unserved],
        )
    cli_config.write_text(mirror.cli_config_text())
    plan_args = ["plan", "-input=false", "-refresh=false", "-no-color", "-out=switch.tfplan"]
    with fork_server(mirror):
        runner.run("init", ["init", "-input=false", "-no-color"])
        runner.run("plan", plan_args)
        shown = runner.run("show-plan", ["show", "-json", "switch.tfplan"]).stdout
    return MigrationPlan(fixture, workspace, terraform, json.loads(shown))


def _required_providers_with_state(runner: _Runner) -> dict[str, str]:
    """Providers the configuration requires plus those only the state still needs."""
    requirements = _required_providers(runner)
    text = runner.run("providers", ["providers", "-no-color"]).stdout
    if "Providers required by state" in text:
        for line in text.split("Providers required by state", 1)[1].splitlines():
            line = line.strip().lstrip("-").strip()
            if line.startswith("provider[") and "]" in line:
                requirements.setdefault(line[len("provider[") : line.index("]")], "")
    return requirements


def main(argv: list[str] | None = None) -> int:
    """`python -m typhoon_tf.testing.migration [-m MODULES] [-w WORKDIR] PAIR…`: print plans."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m typhoon_tf.testing.migration")
    parser.add_argument("pairs", nargs="*", help="fixture folders (default: all)")
    parser.add_argument("-f", "--fixtures", default="tests/data/typhoon-migration")
    parser.add_argument("-m", "--modules", default="modules", help="our modules/ tree")
    parser.add_argument(
        "-w",
        "--workdir",
        help="where the plans run (default: a new private temporary directory, kept)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="also list updates")
    args = parser.parse_args(argv)
    fixtures = Path(args.fixtures)
    pairs = args.pairs or sorted(p.name for p in fixtures.iterdir() if p.is_dir())
    # Never a fixed name in /tmp: another user could have made it, and it holds the
    # provider launchers Terraform runs.
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="typhoon-migration-"))
    print(f"workspaces in {workdir}")
    failed = 0
    for pair in pairs:
        plan = plan_migration(fixtures / pair, args.modules, workdir / pair)
        bad = plan.destructive()
        failed += bool(bad)
        print(f"{pair}: terraform {plan.terraform.version}: {plan.counts()}")
        for change in bad:
            print(f"  DESTRUCTIVE {change.describe()}")
        for change in plan.updates() if args.verbose else []:
            print(f"  update {change.address}: {', '.join(change.changed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
