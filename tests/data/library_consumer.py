"""An infra repo's use of typhoon-tf, type-checked with `mypy --strict` by
tests/test_library_typing.py against the package as installed (it is never run)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typhoon_tf
from typhoon_tf import (
    OPERATING_SYSTEMS,
    PLATFORMS,
    ROLES,
    ClusterConfig,
    OperatingSystem,
    Platform,
    Problem,
    Refused,
    Role,
    TerraformFailed,
    UserError,
)

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh x"


def staging(platform: Platform, os_name: OperatingSystem, workers: int) -> ClusterConfig:
    return typhoon_tf.cluster_config(
        platform,
        os_name,
        {"cluster_name": "staging", "ssh_authorized_key": SSH_KEY, "worker_count": workers},
        provider={"region": "us-east-1"},
        snippets={"worker": [Path("snippets/sysctl.bu"), "snippets/motd.bu"]},
        coordinated_updates=True,
        source="staging.py",
        base_dir=Path(__file__).parent,
    )


def every_example() -> Iterator[ClusterConfig]:
    for platform in PLATFORMS:
        for os_name in OPERATING_SYSTEMS:
            yield typhoon_tf.example_config(platform, os_name)


def node_problems(config: ClusterConfig) -> dict[Role, list[Problem]]:
    found: dict[Role, list[Problem]] = {}
    for role in ROLES:
        ignition: dict[str, Any] = typhoon_tf.render_node(config, role, {"node_labels": ["a=b"]})
        found[role] = [p for p in typhoon_tf.validate_ignition(ignition) if p.is_error]
        text: str = typhoon_tf.ignition_json(ignition, pretty=True)
        assert text
    return found


def messages(problems: list[Problem]) -> list[str]:
    return [f"{p.key_path}: {p.message} ({p.severity})" for p in problems]


def write(config: ClusterConfig, root: Path) -> Path:
    out: Path = typhoon_tf.generate_root_module(
        config,
        root / config.name,
        force=False,
        backend="gcs",
        backend_config={"bucket": "acme-tf", "prefix": config.name},
    )
    return out


def from_file(path: str) -> ClusterConfig:
    config = typhoon_tf.load_cluster_config(path, os="flatcar-linux")
    again = typhoon_tf.cluster_config_from_mapping(
        {"platform": config.platform, "os": config.os, "cluster": config.variables},
        source=config.source,
    )
    return again


def butane(text: str) -> dict[str, Any]:
    ignition = typhoon_tf.transpile_butane(text, strict=True, files_dir="files", source="x.bu")
    typhoon_tf.check_ignition(ignition, source="x.bu")
    return ignition


def where(err: UserError) -> tuple[str | None, str | None, int | None, int | None, str]:
    return err.file, err.path, err.line, err.column, err.message


def run(root: Path) -> str:
    log = io.StringIO()
    typhoon_tf.terraform_init(root, binary="tofu", out=log, err=log)
    try:
        plan: dict[str, Any] = typhoon_tf.terraform_plan(
            root, allow_controller_replacement=False, skip_preflight={"ssh-agent"}, out=log
        )
        assert plan
        outputs: dict[str, Any] = typhoon_tf.terraform_apply(
            root, plan_file="typhoon-tf.tfplan", env={"AWS_PROFILE": "infra"}
        )
    except Refused as refused:
        return refused.report()
    except TerraformFailed as failed:
        return str(failed)
    except UserError as err:
        return str(err)
    value: Any = typhoon_tf.terraform_outputs(root)["kubeconfig-admin"]["value"]
    return str(value) + str(outputs)


VERSION: str = typhoon_tf.__version__
