"""Thin Terraform driver: preflight checks, plan guards, progress display, exit codes.

from typhoon_tf.driver import Options, apply, destroy
outputs = apply(Options(Path("tempest")))
"""

from typhoon_tf.driver.errors import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_TERRAFORM_FAILED,
    EXIT_USER_ERROR,
    Refused,
    TerraformFailed,
)
from typhoon_tf.driver.guard import CONTROLLER_TYPES, controller_changes
from typhoon_tf.driver.workflow import (
    Options,
    apply,
    destroy,
    init,
    kubeconfig,
    outputs,
    plan,
    preflight,
    write_private_file,
)

__all__ = [
    "CONTROLLER_TYPES",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_TERRAFORM_FAILED",
    "EXIT_USER_ERROR",
    "Options",
    "Refused",
    "TerraformFailed",
    "apply",
    "controller_changes",
    "destroy",
    "init",
    "kubeconfig",
    "outputs",
    "plan",
    "preflight",
    "write_private_file",
]
