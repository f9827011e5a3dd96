"""Node configurations: what runs on each controller and worker.

    render(platform, os, role, values=None, options=None) -> dict
        The node's Ignition config, apply-time values filled in (documented examples for
        any value not given).
    node_template(platform, os, role, options=None) -> NodeTemplate
        The same config as a Terraform `templatefile()` template with typed holes: the
        contract the module generator consumes. See `typhoon_tf.nodes.holes` for the
        exact rules (where holes land, escaping, types, snippets).
    apply_snippets(config, snippet_texts) -> dict
        Merge Butane snippets (given at generate time) with Ignition's merge rules.

Platforms: aws, google-cloud, azure, bare-metal, digital-ocean. OSes: fedora-coreos
(Ignition 3.3.0 default; 3.4.0, 3.5.0), flatcar-linux (3.3.0 default; 3.4.0, 2.3.0).
Roles: controller, worker. Everything that differs by OS lives in `profiles`, by platform
in `platform_deltas`; the Butane templates are in `templates/`.
"""

from __future__ import annotations

from typhoon_tf.nodes.butane_doc import ROLES, NodeOptions, Role
from typhoon_tf.nodes.holes import HOLES, HoleSpec, NodeTemplate, example_values
from typhoon_tf.nodes.platform_deltas import PLATFORM_DELTAS, PlatformDelta
from typhoon_tf.nodes.profiles import OS_PROFILES, OSProfile
from typhoon_tf.nodes.render import (
    apply_snippets,
    hole_names,
    node_template,
    os_profile,
    render,
    to_json,
)

__all__ = [
    "HOLES",
    "OS_PROFILES",
    "PLATFORM_DELTAS",
    "ROLES",
    "HoleSpec",
    "NodeOptions",
    "NodeTemplate",
    "OSProfile",
    "PlatformDelta",
    "Role",
    "apply_snippets",
    "example_values",
    "hole_names",
    "node_template",
    "os_profile",
    "render",
    "to_json",
]
