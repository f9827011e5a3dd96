"""Backend blocks for shared state: golden files, option checks, and real Terraform.

`terraform validate` does not look inside a backend block, so a second oracle is used:
`terraform init` decodes the block against the backend's own schema *before* it reaches for
credentials or the network. Offline, a good block therefore fails later, at the credentials
step; a bad one fails with a schema error ("Unsupported argument" ...). The negative cases
prove the oracle can tell the difference.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from typhoon_tf.errors import UserError
from typhoon_tf.generate.backend import backend_block
from typhoon_tf.testing.terraform_bin import TerraformBinary, available_terraforms

GOLDEN = Path(__file__).parent / "data" / "driver" / "backend"
CASES: dict[str, tuple[str, dict[str, object]]] = {
    "s3": (
        "s3",
        {
            "bucket": "acme-tf-state",
            "key": "tempest/terraform.tfstate",
            "region": "us-east-1",
            "dynamodb_table": "tf-locks",
        },
    ),
    "s3_lockfile": (
        "s3",
        {
            "bucket": "acme-tf-state",
            "key": "tempest/terraform.tfstate",
            "region": "eu-central-1",
            "use_lockfile": "true",
        },
    ),
    "gcs": ("gcs", {"bucket": "acme-tf-state", "prefix": "tempest"}),
    "azurerm": (
        "azurerm",
        {
            "resource_group_name": "tf",
            "storage_account_name": "acmetfstate",
            "container_name": "tfstate",
            "key": "tempest.tfstate",
        },
    ),
}
SCHEMA_ERRORS = (
    "Unsupported argument",
    "Missing required argument",
    "Incorrect attribute value type",
    "Invalid backend configuration",
    "Missing Required Value",
    "required field is not set",  # Terraform 1.0's wording for a missing required argument
)
BINARIES = available_terraforms()
EVERY_BINARY = pytest.mark.parametrize("terraform", BINARIES, ids=lambda b: f"tf{b.version}")
needs_terraform = pytest.mark.skipif(not BINARIES, reason="no terraform binary available")


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str) -> None:
    kind, options = CASES[case]
    assert backend_block(kind, options) == (GOLDEN / f"{case}.tf").read_text()


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("consul", {}, "unknown backend 'consul'"),
        ("gcs", {"prefix": "x"}, "backend.bucket: the gcs backend needs bucket"),
        ("gcs", {"bucket": "b-1", "buckett": "x"}, "has no option 'buckett'"),
        ("s3", {**CASES["s3"][1], "bucket": "Acme_State"}, "backend.bucket: 'Acme_State' is not"),
        ("s3", {**CASES["s3"][1], "key": "/abs/path"}, "backend.key: '/abs/path' is not"),
        ("s3", {**CASES["s3"][1], "region": "virginia"}, "is not an AWS region"),
        (
            "s3",
            {k: v for k, v in CASES["s3"][1].items() if k != "dynamodb_table"},
            "needs a state lock: dynamodb_table=<table> or use_lockfile=true",
        ),
        ("s3", {**CASES["s3"][1], "encrypt": "false"}, "unencrypted s3 backend is not allowed"),
        ("s3", {**CASES["s3"][1], "use_lockfile": "yes"}, "must be true or false, not 'yes'"),
        (
            "azurerm",
            {**CASES["azurerm"][1], "storage_account_name": "Acme-State"},
            "3-24 lowercase",
        ),
        ("azurerm", {**CASES["azurerm"][1], "container_name": "tf--state"}, "single hyphens"),
    ],
)
def test_bad_options_are_user_errors(kind: str, options: dict[str, object], message: str) -> None:
    with pytest.raises(UserError) as err:
        backend_block(kind, options)
    assert message in str(err.value)


def _workspace(tmp_path: Path, text: str) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "root"
    root.mkdir(parents=True)
    (root / "backend.tf").write_text(text)
    (tmp_path / "terraformrc").write_text("")
    env = {
        "HOME": str(tmp_path),
        "PATH": "",  # no az/gcloud helpers: credential lookup fails fast and the same everywhere
        "TF_CLI_CONFIG_FILE": str(tmp_path / "terraformrc"),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "example",
        "AWS_EC2_METADATA_DISABLED": "true",
        # Never reach a real cloud, even on a machine with network access.
        # (.invalid never resolves, so the SDKs fail at once instead of retrying.)
        "HTTPS_PROXY": "http://proxy.invalid:3128",
        "HTTP_PROXY": "http://proxy.invalid:3128",
        "NO_PROXY": "",
    }
    return root, env


def _tf(
    terraform: TerraformBinary, root: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(terraform.path), *args, "-no-color"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _backend_init_error(terraform: TerraformBinary, tmp_path: Path, text: str) -> str:
    root, env = _workspace(tmp_path, text)
    proc = _tf(terraform, root, env, "init", "-input=false")
    assert proc.returncode != 0, "init cannot succeed offline"
    return proc.stdout + proc.stderr


def _accepts_use_lockfile(terraform: TerraformBinary) -> bool:
    return terraform.version_tuple >= (1, 10)


@needs_terraform
@EVERY_BINARY
@pytest.mark.parametrize("case", sorted(CASES))
def test_terraform_validates_and_decodes_the_block(
    case: str, terraform: TerraformBinary, tmp_path: Path
) -> None:
    text = (GOLDEN / f"{case}.tf").read_text()
    root, env = _workspace(tmp_path, text)
    assert _tf(terraform, root, env, "init", "-backend=false", "-input=false").returncode == 0
    validated = _tf(terraform, root, env, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert _tf(terraform, root, env, "fmt", "-check").returncode == 0

    output = _backend_init_error(terraform, tmp_path / "init", text)
    schema_errors = [e for e in SCHEMA_ERRORS if e in output]
    if case == "s3_lockfile" and not _accepts_use_lockfile(terraform):
        # S3-native locking arrived in Terraform 1.10; older versions reject the argument.
        assert schema_errors == ["Unsupported argument"], output
        assert "use_lockfile" in output
    else:
        assert schema_errors == [], output


@needs_terraform
@EVERY_BINARY
def test_the_init_oracle_catches_a_bad_backend_block(
    terraform: TerraformBinary, tmp_path: Path
) -> None:
    good = (GOLDEN / "gcs.tf").read_text()
    bad = good.replace('prefix = "tempest"', 'prefix = "tempest"\n    prefixx = "oops"')
    assert "Unsupported argument" in _backend_init_error(terraform, tmp_path / "a", bad)
    s3 = (GOLDEN / "s3.tf").read_text()
    missing = s3.replace('    bucket         = "acme-tf-state"\n', "")
    assert missing != s3
    output = _backend_init_error(terraform, tmp_path / "b", missing)
    assert any(e in output for e in SCHEMA_ERRORS[1:]), output
