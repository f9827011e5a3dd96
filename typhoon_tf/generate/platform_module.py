"""Build one platform × OS cluster module (and its workers submodule) as a file tree.

A platform is data plus templates (`typhoon_tf/platforms/<name>/`):
* `platform.yaml` — variables, outputs, providers, image source, hole expressions;
* `<module>/*.tf` — HCL copied as is; `<module>/*.tf.j2` — HCL rendered with jinja2.
This module adds what is derived: variables.tf, outputs.tf, versions.tf, README.md, the
node Ignition templates and the glue (`ignition.tf`) that fills their holes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from typhoon_tf import hcl, jinja_env
from typhoon_tf.config.model import Snippet
from typhoon_tf.errors import UserError
from typhoon_tf.generate.bootstrap_call import bootstrap_tf
from typhoon_tf.generate.external_program import EXTERNAL_PROGRAM
from typhoon_tf.generate.readme import module_readme
from typhoon_tf.generate.user_data_size import worst_case_hole_values
from typhoon_tf.hcl import module_interface as interface
from typhoon_tf.nodes import NodeOptions, NodeTemplate, node_template, os_profile
from typhoon_tf.nodes.render import butane_template, user_data_size
from typhoon_tf.platforms import OS_TITLES, Interface, Platform, load_platform

ModuleTree = dict[str, str]

# Module folder -> {role it renders: variable holding that role's Butane snippets}. A
# platform may override this with `modules:` in platform.yaml (DigitalOcean renders workers
# in the cluster module; bare-metal has a per-machine `worker/`). A null snippets variable
# means the platform's own templates supply the role's `snippets` hole expression.
DEFAULT_MODULES: dict[str, dict[str, str | None]] = {
    "kubernetes": {"controller": "controller_snippets"},
    "workers": {"worker": "snippets"},
}


@dataclass(frozen=True)
class ModuleRequest:
    """What to build: platform, OS, Ignition version and generate-time snippets."""

    platform: str
    os: str
    ignition_version: str | None = None
    snippets: Mapping[str, Sequence[Snippet]] = field(default_factory=dict)
    fleetlock_url: str | None = None  # Zincati's fleetlock server (Fedora CoreOS)
    # The cluster's variables (`generate`): the user-data size check bounds node configs
    # with the longest values these allow (user_data_size.py). None for `modules`.
    cluster_variables: Mapping[str, object] | None = None
    source: str | None = None  # the cluster config file, for messages


def platform_module(request: ModuleRequest) -> ModuleTree:
    """Files of `modules/<platform>/<os>/kubernetes` (workers under `workers/`)."""
    platform = load_platform(request.platform)
    tree: ModuleTree = {}
    for module in _module_dirs(request.platform):
        prefix = "" if module == "kubernetes" else f"{module}/"
        for rel, text in _module_files(platform, module, request).items():
            tree[prefix + rel] = text
    return tree


def module_roles(platform: Platform) -> dict[str, dict[str, str | None]]:
    """Module folder -> {role: snippets variable} for `platform`."""
    modules: dict[str, dict[str, str | None]] = platform.extra.get("modules", DEFAULT_MODULES)
    return modules


def _module_dirs(platform: str) -> list[str]:
    root = resources.files("typhoon_tf.platforms").joinpath(platform)
    return [m for m in module_roles(load_platform(platform)) if root.joinpath(m).is_dir()]


def _module_files(platform: Platform, module: str, request: ModuleRequest) -> ModuleTree:
    iface = _interface(platform, module)
    roles = module_roles(platform)[module]
    nodes = {
        role: node_template(
            platform=platform.name,
            os_name=request.os,
            role=role,
            options=NodeOptions(fleetlock_url=request.fleetlock_url),
            ignition_version=request.ignition_version,
            snippets=list(request.snippets.get(role, ())),
        )
        for role in roles
    }
    for role in roles:
        _check_user_data_size(platform, request, role)
    node = next(iter(nodes.values()))
    context = _template_context(platform, request, node)
    files: ModuleTree = {}
    platform_dir = resources.files("typhoon_tf.platforms").joinpath(platform.name)
    # Templates at the platform's top level are shared by all its modules; `_common/`
    # templates by every platform that has settings for them (e.g. `ssh:`).
    shared = [e for e in platform_dir.iterdir() if e.name.endswith((".tf", ".tf.j2"))]
    entries = [*shared, *platform_dir.joinpath(module).iterdir()]
    if module == "kubernetes":
        entries += _common_templates(platform)
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.endswith(".tf"):
            files[entry.name] = entry.read_text()
        elif entry.name.endswith(".tf.j2"):
            text = _render_jinja(entry, context)
            if text.strip():  # a template may render to nothing for one OS
                files[entry.name[: -len(".j2")]] = text
    if module == "kubernetes" and "bootstrap" in platform.extra:
        files["bootstrap.tf"] = bootstrap_tf(platform, request.os)
    files.update(_butane_templates(platform_dir, context, node.ignition_version))
    files["ignition.tf"] = "\n".join(
        ignition_tf(platform, request.os, role, nodes[role], roles[role]) for role in roles
    )
    for role, role_node in nodes.items():
        files[f"ignition/{role}.ign.tftpl"] = role_node.text
    files["variables.tf"] = interface.variables_tf(iface.variables_for(request.os))
    files["outputs.tf"] = interface.outputs_tf(iface.outputs)
    files["versions.tf"] = interface.versions_tf(platform.providers)
    others = {role: n for role, n in nodes.items() if n is not node}
    files["README.md"] = module_readme(platform, module, request.os, iface, node, others)
    return files


def _check_user_data_size(platform: Platform, request: ModuleRequest, role: str) -> None:
    """Refuse a node config the cloud would refuse, sized with the longest values its
    apply-time holes can take (names at the platform's limit, the configured counts, the
    largest kubeconfig), not with the examples."""
    snippets = list(request.snippets.get(role, ()))
    if request.cluster_variables is None and not snippets:
        return  # `modules`: no cluster to size (tests bound the bare templates)
    values = worst_case_hole_values(platform, request.cluster_variables or {})
    size = user_data_size(
        platform.name,
        request.os,
        role,
        values,
        NodeOptions(fleetlock_url=request.fleetlock_url),
        ignition_version=request.ignition_version,
        snippets=snippets,
    )
    limit = platform.user_data_limit
    if size > limit:
        cause = " with these snippets" if snippets else ""
        raise UserError(
            f"a {role} node config{cause} can reach {size} bytes once Terraform fills in "
            f"its longest values, {size - limit} bytes over the {limit}-byte user data limit "
            f"of {platform.title}",
            file=snippets[-1].source if snippets else request.source,
        )


def _common_templates(platform: Platform) -> list[Traversable]:
    common = resources.files("typhoon_tf.platforms").joinpath("_common")
    return [
        e
        for e in common.iterdir()
        if e.name.endswith(".tf.j2") and e.name.split(".")[0] in platform.extra
    ]


def _interface(platform: Platform, module: str) -> Interface:
    if module == "kubernetes":
        return Interface(variables=platform.variables, outputs=platform.outputs)
    assert platform.workers is not None, f"{platform.name} has a {module}/ folder but no interface"
    return platform.workers


def _butane_templates(
    platform_dir: Traversable, context: Mapping[str, Any], ignition_version: str
) -> ModuleTree:
    """`<platform>/*.bu.j2` → `ignition/<name>.ign.tftpl` in every module of the platform."""
    files: ModuleTree = {}
    for entry in sorted(platform_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".bu.j2"):
            continue
        butane = _render_jinja(entry, context)
        if not butane.strip():  # not used by this OS
            continue
        name = entry.name[: -len(".bu.j2")]
        text, _ = butane_template(
            butane, ignition_version=ignition_version, source_name=f"{platform_dir.name}/{name}"
        )
        files[f"ignition/{name}.ign.tftpl"] = text
    return files


def _template_context(
    platform: Platform, request: ModuleRequest, node: NodeTemplate
) -> dict[str, Any]:
    return {
        "platform": platform,
        "os": request.os,
        "os_title": OS_TITLES[request.os],
        "image": platform.extra["images"][request.os],
        "ssh": platform.extra.get("ssh"),
        "ignition_version": node.ignition_version,
        "external_program": hcl.render_value(list(EXTERNAL_PROGRAM)),
    }


def _render_jinja(entry: Traversable, context: Mapping[str, Any]) -> str:
    return jinja_env.STRINGS.from_string(entry.read_text()).render(**context)


def ignition_tf(
    platform: Platform, os_name: str, role: str, node: NodeTemplate, snippets_var: str | None
) -> str:
    """The glue that fills a node template's holes and transpiles variable snippets.

    With no `snippets_var`, the platform's templates transpile snippets themselves (e.g.
    bare-metal's per-machine map) and its `snippets` hole expression points there.
    """
    expressions: Mapping[str, str] = platform.extra["node_holes"][role]
    missing = sorted(set(node.variables) - set(expressions))
    if missing:
        raise AssertionError(f"{platform.name}: no expression for {role} holes {missing}")
    holes = {name: hcl.Expr(expressions[name]) for name in node.variables}
    template_path = hcl.Template(hcl.Expr("path.module"), f"/ignition/{role}.ign.tftpl")
    items: list[hcl.BodyItem] = []
    locals_body: list[hcl.BodyItem] = []
    if snippets_var is not None:
        variant = os_profile(os_name).butane_variant
        items += _snippets_data(role, snippets_var, variant, node.ignition_version)
        locals_body += [
            hcl.Attribute(
                f"{role}_snippets",
                hcl.Expr(
                    f"flatten([for d in data.external.{role}-snippets : "
                    "jsondecode(d.result.data_urls)])"
                ),
            ),
            hcl.Blank(),
        ]
    count = platform.extra.get("node_instances", {}).get(role)
    if count is None:
        locals_body += [
            hcl.Comment("Values only known at apply time, filled into the node template."),
            hcl.Attribute(f"{role}_holes", holes),
            hcl.Blank(),
            hcl.Attribute(
                f"{role}_user_data", _compact_render(template_path, f"local.{role}_holes")
            ),
        ]
    else:
        # One node config per instance: hole expressions may use the index `i`.
        per_instance = hcl.render_value(dict(holes)).replace("\n", "\n  ")
        render = _compact_render(template_path, "holes").text
        locals_body += [
            hcl.Comment(f"Values only known at apply time, one set per {role} (index i)."),
            hcl.Attribute(
                f"{role}_holes",
                hcl.Expr(f"[\n  for i in range({count}) : {per_instance}\n]"),
            ),
            hcl.Blank(),
            hcl.Attribute(
                f"{role}_user_data",
                hcl.Expr(f"[\n  for holes in local.{role}_holes :\n  {render}\n]"),
            ),
        ]
    items.append(hcl.Block("locals", body=locals_body))
    return hcl.render(items)


def _snippets_data(
    role: str, snippets_var: str, variant: str, ignition_version: str
) -> list[hcl.BodyItem]:
    return [
        hcl.Comment(
            f"Butane snippets given in var.{snippets_var} are transpiled to Ignition by\n"
            "typhoon-tf's external program; Ignition merges them at first boot.\n"
            "typhoon-tf must be on PATH wherever Terraform runs (the program says so when\n"
            "it is not); snippets in cluster.yaml need nothing at plan time.\n"
            "The data source only exists when there are snippets."
        ),
        hcl.Block(
            "data",
            ["external", f"{role}-snippets"],
            [
                hcl.Attribute("count", hcl.Expr(f"length(var.{snippets_var}) > 0 ? 1 : 0")),
                hcl.Blank(),
                hcl.Attribute("program", list(EXTERNAL_PROGRAM)),
                hcl.Attribute(
                    "query",
                    {
                        "snippets": hcl.Expr(f"jsonencode(var.{snippets_var})"),
                        "variant": variant,
                        "ignition_version": ignition_version,
                    },
                ),
            ],
        ),
    ]


def _compact_render(template_path: hcl.Template, variables: str) -> hcl.Expr:
    # The template is pretty-printed for readers; user data is sent compact.
    path = hcl.render_value(template_path)
    return hcl.Expr(f"jsonencode(jsondecode(templatefile({path}, {variables})))")
