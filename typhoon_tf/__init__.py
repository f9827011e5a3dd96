"""typhoon-tf: generate Typhoon-compatible Terraform modules for Kubernetes.

Data flows one way: cluster config -> node content -> Ignition -> HCL -> terraform.

The names in `__all__` are the public library API (docs/library.md); every other module
and name under `typhoon_tf` is internal and may change without notice.

    import typhoon_tf as tt
    config = tt.cluster_config("aws", "fedora-coreos", {"cluster_name": "tempest", ...})
    tt.generate_root_module(config, "tempest")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typhoon_tf.errors import UserError

if TYPE_CHECKING:
    from typhoon_tf.api import (
        OPERATING_SYSTEMS,
        PLATFORMS,
        ROLES,
        BackendKind,
        OperatingSystem,
        Platform,
        Role,
        check_ignition,
        cluster_config,
        cluster_config_from_mapping,
        example_config,
        generate_root_module,
        ignition_json,
        load_cluster_config,
        render_node,
        terraform_apply,
        terraform_init,
        terraform_outputs,
        terraform_plan,
        transpile_butane,
        validate_ignition,
    )
    from typhoon_tf.config.model import ClusterConfig, Snippet
    from typhoon_tf.driver.errors import Refused, TerraformFailed
    from typhoon_tf.ignition.problem import Problem

__version__ = "0.1.0"

__all__ = [
    "OPERATING_SYSTEMS",
    "PLATFORMS",
    "ROLES",
    "BackendKind",
    "ClusterConfig",
    "OperatingSystem",
    "Platform",
    "Problem",
    "Refused",
    "Role",
    "Snippet",
    "TerraformFailed",
    "UserError",
    "__version__",
    "check_ignition",
    "cluster_config",
    "cluster_config_from_mapping",
    "example_config",
    "generate_root_module",
    "ignition_json",
    "load_cluster_config",
    "render_node",
    "terraform_apply",
    "terraform_init",
    "terraform_outputs",
    "terraform_plan",
    "transpile_butane",
    "validate_ignition",
]

# Names loaded on first use so `import typhoon_tf` (which every CLI command pays, the
# `external` program at every plan included) stays light: config pulls in YAML/JSON Schema,
# the driver its modules, and even typhoon_tf.api costs start-up time the butane command
# does not need.
_LAZY = {
    "OPERATING_SYSTEMS": "typhoon_tf.api",
    "PLATFORMS": "typhoon_tf.api",
    "ROLES": "typhoon_tf.api",
    "BackendKind": "typhoon_tf.api",
    "OperatingSystem": "typhoon_tf.api",
    "Platform": "typhoon_tf.api",
    "Role": "typhoon_tf.api",
    "check_ignition": "typhoon_tf.api",
    "cluster_config": "typhoon_tf.api",
    "cluster_config_from_mapping": "typhoon_tf.api",
    "example_config": "typhoon_tf.api",
    "generate_root_module": "typhoon_tf.api",
    "ignition_json": "typhoon_tf.api",
    "load_cluster_config": "typhoon_tf.api",
    "render_node": "typhoon_tf.api",
    "terraform_apply": "typhoon_tf.api",
    "terraform_init": "typhoon_tf.api",
    "terraform_outputs": "typhoon_tf.api",
    "terraform_plan": "typhoon_tf.api",
    "transpile_butane": "typhoon_tf.api",
    "validate_ignition": "typhoon_tf.api",
    "ClusterConfig": "typhoon_tf.config.model",
    "Snippet": "typhoon_tf.config.model",
    "Problem": "typhoon_tf.ignition.problem",
    "Refused": "typhoon_tf.driver.errors",
    "TerraformFailed": "typhoon_tf.driver.errors",
}

if not TYPE_CHECKING:
    # Hidden from mypy: a typed module-level __getattr__ would make every misspelt
    # `typhoon_tf.name` type-check as Any.
    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'typhoon_tf' has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
