"""Preflight checks: terraform binary, ssh-agent key, root-module settings, CLI exit codes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from typhoon_tf.cli import main
from typhoon_tf.driver.preflight import (
    PreflightContext,
    PreflightError,
    check_ssh_agent,
    check_terraform,
    run_preflight,
)
from typhoon_tf.driver.rootmodule import read_root_settings
from typhoon_tf.errors import UserError
from typhoon_tf.testing.terraform_bin import TerraformNotFound, find_terraform

DATA = Path(__file__).parent / "data" / "driver"
EXAMPLE_KEY = (  # the key in data/driver/aws_root/main.tf
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh core@example"
)
NEEDS_OPENSSH = pytest.mark.skipif(
    not (shutil.which("ssh-agent") and shutil.which("ssh-add") and shutil.which("ssh-keygen")),
    reason="OpenSSH client tools (ssh-agent, ssh-add, ssh-keygen) are not installed",
)

# -- reading the root module --------------------------------------------------------------


def test_literal_settings_of_a_generated_root() -> None:
    settings = read_root_settings(DATA / "aws_root")
    assert settings.platform == "aws"
    assert settings.provider == {"region": "us-east-1"}
    assert settings.get("dns_zone") == "aws.example.com"
    assert settings.get("dns_zone_id") == "Z3PAABBCFAKEC0"
    assert settings.get(
        "ssh_authorized_key",
    ).startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")
    assert settings.get("worker_count") == 2  # after the heredoc, still read
    assert settings.module_source == "./modules/aws/fedora-coreos/kubernetes"


def test_var_references_resolve_through_tfvars_and_defaults() -> None:
    settings = read_root_settings(DATA / "aws_root_vars")
    assert settings.provider == {"region": "eu-west-1"}  # variable default
    assert (
        settings.get("ssh_authorized_key")
        == "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCexample ops@example"
    )
    assert settings.get("dns_zone_id") == "ZFROMTFVARS"  # terraform.tfvars, "${var.x}" form
    assert settings.get("dns_zone") == "prod.example.com"  # *.auto.tfvars.json wins over default


def test_a_directory_without_tf_files_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no \\*.tf files"):
        read_root_settings(tmp_path)


# -- terraform -------------------------------------------------------------------------------


def test_missing_terraform_binary(tmp_path: Path) -> None:
    ctx = PreflightContext(
        read_root_settings(DATA / "aws_root"), requested_binary=str(tmp_path / "terraform")
    )
    with pytest.raises(PreflightError) as err:
        check_terraform(ctx)
    assert f"preflight terraform: --binary={tmp_path}/terraform: no such executable" in str(
        err.value
    )


def test_no_terraform_anywhere_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("TYPHOON_TF_TERRAFORM", raising=False)
    with pytest.raises(PreflightError, match="no terraform binary: install Terraform >= 1.3"):
        check_terraform(PreflightContext(read_root_settings(DATA / "aws_root")))


def test_terraform_older_than_the_floor_is_refused(tmp_path: Path) -> None:
    # A stand-in that answers `version -json` the way Terraform 0.14 does.
    old = tmp_path / "terraform"
    old.write_text(
        '#!/bin/sh\necho \'{"terraform_version": "1.0.3", "terraform_outdated": true}\'\n'
    )
    old.chmod(0o755)
    ctx = PreflightContext(read_root_settings(DATA / "aws_root"), requested_binary=str(old))
    with pytest.raises(PreflightError, match="is version 1.0.3; typhoon-tf needs >= 1.3"):
        check_terraform(ctx)


def test_real_terraform_passes() -> None:
    try:
        real = find_terraform()
    except TerraformNotFound as err:
        pytest.skip(f"no terraform binary: {err}")
    ctx = PreflightContext(read_root_settings(DATA / "aws_root"), requested_binary=str(real.path))
    check_terraform(ctx)
    assert ctx.binary is not None and ctx.binary.version == real.version


# -- ssh-agent -------------------------------------------------------------------------------


@dataclass
class Agent:
    env: dict[str, str]
    public_key: str


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[Agent]:
    """A real ssh-agent on a private socket, holding a freshly generated ed25519 key."""
    if not (shutil.which("ssh-agent") and shutil.which("ssh-add") and shutil.which("ssh-keygen")):
        pytest.skip("OpenSSH client tools (ssh-agent, ssh-add, ssh-keygen) are not installed")
    sock = tmp_path / "agent.sock"
    started = subprocess.run(
        ["ssh-agent", "-s", "-a", str(sock)], capture_output=True, text=True, check=True
    )
    pid = int(re.search(r"SSH_AGENT_PID=(\d+)", started.stdout).group(1))  # type: ignore[union-attr]
    key = tmp_path / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ops@test", "-f", str(key)],
        check=True,
    )
    env = {"PATH": os.environ["PATH"], "SSH_AUTH_SOCK": str(sock)}
    try:
        yield Agent(env, (tmp_path / "id_ed25519.pub").read_text().strip())
    finally:
        os.kill(pid, signal.SIGTERM)


def _root_with_key(tmp_path: Path, key: str) -> PreflightContext:
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    text = (DATA / "aws_root" / "main.tf").read_text()
    text = re.sub(r'ssh_authorized_key = "[^"]*"', f'ssh_authorized_key = "{key}"', text)
    (root / "main.tf").write_text(text)
    return PreflightContext(read_root_settings(root))


def test_no_agent(tmp_path: Path) -> None:
    ctx = PreflightContext(read_root_settings(DATA / "aws_root"), env={"PATH": os.environ["PATH"]})
    with pytest.raises(PreflightError) as err:
        check_ssh_agent(ctx)
    assert "preflight ssh-agent: no ssh-agent: SSH_AUTH_SOCK is not set" in str(err.value)
    assert "--skip-preflight ssh-agent" in str(err.value)


def test_agent_socket_gone(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "SSH_AUTH_SOCK": str(tmp_path / "gone.sock")}
    ctx = PreflightContext(read_root_settings(DATA / "aws_root"), env=env)
    with pytest.raises(PreflightError, match="gone.sock does not exist"):
        check_ssh_agent(ctx)


@NEEDS_OPENSSH
def test_empty_agent(agent: Agent, tmp_path: Path) -> None:
    ctx = _root_with_key(tmp_path, agent.public_key)
    ctx.env = agent.env
    with pytest.raises(PreflightError, match="the ssh-agent holds no keys"):
        check_ssh_agent(ctx)


@NEEDS_OPENSSH
def test_agent_with_the_wrong_key_then_the_right_one(agent: Agent, tmp_path: Path) -> None:
    subprocess.run(["ssh-add", "-q", str(tmp_path / "id_ed25519")], env=agent.env, check=True)
    wrong = _root_with_key(
        tmp_path,
        EXAMPLE_KEY,
    )
    wrong.env = agent.env
    with pytest.raises(PreflightError) as err:
        check_ssh_agent(wrong)
    assert "does not hold the cluster's key (ssh-ed25519 ...b25seSEhISEh core@example)" in str(
        err.value
    )
    assert "ops@test" in str(err.value)  # says what the agent does hold

    # The same key with a different comment is the same key.
    kind, blob, _comment = agent.public_key.split()
    right = _root_with_key(tmp_path, f"{kind} {blob} someone-else@laptop")
    right.env = agent.env
    check_ssh_agent(right)


# -- selection and CLI ----------------------------------------------------------------------


def test_unknown_skip_name_is_a_user_error() -> None:
    ctx = PreflightContext(read_root_settings(DATA / "aws_root"))
    with pytest.raises(UserError, match="unknown check\\(s\\) sshagent"):
        run_preflight(ctx, skip={"sshagent"})


def test_checks_that_apply_to_a_root_without_a_cluster_module() -> None:
    ctx = PreflightContext(read_root_settings(DATA / "null_cluster"))
    # No key to check, no cloud: only the tree check applies.
    assert run_preflight(ctx, skip={"terraform"}) == ["tree"]


def test_preflight_names_of_the_cli_are_the_checks() -> None:
    from typhoon_tf.cli.tf_cmds import PREFLIGHT_NAMES
    from typhoon_tf.driver.preflight import CHECKS

    assert tuple(CHECKS) == PREFLIGHT_NAMES


def test_an_interrupted_regeneration_is_refused(tmp_path: Path) -> None:
    """A kill inside generate's final renames leaves a journal and possibly old and new
    files side by side; plan/apply refuse until the next generate finishes the switch."""
    root = tmp_path / "root"
    shutil.copytree(DATA / "aws_root", root)
    ctx = PreflightContext(read_root_settings(root))
    assert "tree" in run_preflight(ctx, skip={"terraform", "ssh-agent", "aws"})
    stage = root / ".typhoon-tf.staging.abcd1234"
    stage.mkdir()
    (stage / "journal.json").write_text("{}")
    with pytest.raises(PreflightError, match=r"preflight tree: .*half-way through a regener"):
        run_preflight(ctx, skip={"terraform", "ssh-agent", "aws"})


def test_cli_no_agent_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    root = tmp_path / "root"
    shutil.copytree(DATA / "aws_root", root)
    rc = main(
        ["apply", "-C", str(root), "--skip-preflight", "terraform", "--skip-preflight", "aws"]
    )
    assert rc == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("typhoon-tf: error: preflight ssh-agent: no ssh-agent")
        and err.count("\n") == 1
    )
    assert not (root / ".terraform").exists()  # failed before Terraform ran


def test_cli_missing_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "-C", str(tmp_path / "nope")]) == 2
    assert "no such directory" in capsys.readouterr().err
