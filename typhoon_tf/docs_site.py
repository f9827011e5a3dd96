"""The documentation site's generated pages, and the MkDocs hooks that add them at build time.

`mkdocs.yml` names this file under `hooks:`. Nothing generated is written into `docs/`:
every page below is built from the code's own sources on each `mkdocs build`, so it cannot
go stale.

* getting started, one page per platform × OS: `docs/templates/getting-started.md.j2` over
  the platform descriptions and the embedded example configs;
* the cluster config reference: from the JSON Schema (`typhoon_tf.config.schema`);
* the CLI reference: from each sub-command's argparse parser;
* the module reference: the module READMEs, rendered by the same functions as `modules/`.

The site's navigation is built here too, so optional pages (written by others and maybe not
there yet) appear exactly when they exist, and a page in `docs/` that no one put in the nav
fails the strict build instead of being silently unreachable.
"""

from __future__ import annotations

import argparse
import importlib
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from typhoon_tf.platforms import OPERATING_SYSTEMS, OS_TITLES, available_platforms, load_platform

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from typhoon_tf.config import ClusterConfig

NavEntry = str | dict[str, Any]

GETTING_STARTED_TEMPLATE = "templates/getting-started.md.j2"
# The schema's `$id` is <site>/schemas/cluster.schema.json: the site serves it there.
SCHEMA_PATH = "schemas/cluster.schema.json"
CLI_HELP_WIDTH = 80  # fixed so the reference does not depend on the builder's terminal

# Hand-written topic pages, in nav order: (path under docs/, title, required). Pages that
# other people are still writing are optional: listed when the file exists.
TOPICS: tuple[tuple[str, str, bool], ...] = (
    ("architecture.md", "Architecture", True),
    ("bootstrap-sequence.md", "How a cluster comes up", True),
    ("networking/README.md", "Networking", True),
    ("coordinated-updates.md", "Coordinated OS updates", True),
    ("snippets.md", "Butane snippets", True),
    ("worker-pools.md", "Worker pools", True),
    ("addons/README.md", "Addons", False),
    ("driver.md", "The driver", True),
    ("migrating-from-typhoon.md", "Migrating from Typhoon", False),
    ("offline-verification.md", "Offline verification", True),
    ("library.md", "Library use", False),
    ("safety.md", "Safety", False),
)

# The networking section: its README is the section's own page (navigation.indexes).
NETWORKING: list[NavEntry] = [
    "networking/README.md",
    {"Cilium": "networking/cilium.md"},
    {"Calico": "networking/calico.md"},
    {"flannel": "networking/flannel.md"},
]

# The addons section (component model, hand-over how-to, one page per addon).
ADDONS: list[NavEntry] = [
    "addons/README.md",
    {"Handing a component over": "addons/handover.md"},
    {"CoreDNS": "addons/coredns.md"},
    {"kube-proxy": "addons/kube-proxy.md"},
    {"flannel": "addons/flannel.md"},
    {"Cilium": "addons/cilium.md"},
    {"Calico": "addons/calico.md"},
    {"Nginx Ingress": "addons/nginx-ingress.md"},
    {"Prometheus": "addons/prometheus.md"},
    {"Grafana": "addons/grafana.md"},
]
SECTIONS: dict[str, list[NavEntry]] = {
    "networking/README.md": NETWORKING,
    "addons/README.md": ADDONS,
}

# --- getting started -------------------------------------------------------------------


def getting_started_path(platform: str, os_name: str) -> str:
    return f"getting-started/{platform}/{os_name}.md"


def module_page_path(platform: str, os_name: str, module: str = "kubernetes") -> str:
    return f"reference/modules/{platform}/{os_name}/{module}.md"


def example_for_os(platform: str, os_name: str) -> tuple[str, ClusterConfig]:
    """The embedded example config of `platform`, with its `os:` line set to `os_name`.

    The text is what `typhoon-tf generate PLATFORM --os OS` uses; it is re-validated here so
    a tutorial never shows a config the loader would refuse."""
    from importlib import resources

    from typhoon_tf.config.load import parse_cluster_config

    text = resources.files("typhoon_tf.config").joinpath("examples", f"{platform}.yaml").read_text()
    other = next(o for o in OPERATING_SYSTEMS if o != os_name)
    line = f"os: {os_name}".ljust(29) + f"# or {other}"
    text, count = re.subn(r"(?m)^os: .*$", line, text, count=1)
    if count != 1:
        raise ValueError(f"examples/{platform}.yaml has no top-level `os:` line")
    config = parse_cluster_config(text, file=f"<example {platform}.yaml>", base_dir=None)
    if (config.platform, config.os) != (platform, os_name):
        raise ValueError(f"examples/{platform}.yaml did not become a {platform}/{os_name} config")
    return text, config


def getting_started(docs_dir: Path, platform_name: str, os_name: str) -> str:
    from typhoon_tf.hcl import module_interface as interface

    platform = load_platform(platform_name)
    variables = platform.variables_for(os_name)
    example, config = example_for_os(platform_name, os_name)
    other_os = next(o for o in OPERATING_SYSTEMS if o != os_name)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(docs_dir),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    template = env.get_template(GETTING_STARTED_TEMPLATE)
    page_dir = posixpath.dirname(getting_started_path(platform_name, os_name))
    return template.render(
        platform=platform,
        os=os_name,
        os_title=OS_TITLES[os_name],
        other_os=other_os,
        other_os_title=OS_TITLES[other_os],
        example=example.rstrip("\n"),
        cluster_name=config.variables["cluster_name"],
        module_name=config.name,
        required_names=[v.name for v in variables if v.required],
        required_table=interface.inputs_table([v for v in variables if v.required]).rstrip(),
        os_variables=[v for v in variables if v.os == os_name],
        terraform_version=interface.REQUIRED_TERRAFORM,
        rel=lambda target: posixpath.relpath(target, page_dir),
        module_page=module_page_path(platform_name, os_name),
    )


# --- cluster config reference ------------------------------------------------------------


def _json_type(schema: dict[str, Any]) -> str:
    """A short human reading of a JSON Schema type."""
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    kind = schema.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    words = []
    for k in kinds:
        if k == "array":
            words.append(f"list of {_json_type(schema.get('items', {}))}")
        elif k == "object" and "properties" in schema:
            words.append("object (" + ", ".join(f"`{p}`" for p in schema["properties"]) + ")")
        else:
            words.append(str(k))
    return " or ".join(words)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _default(schema: dict[str, Any]) -> str:
    if "default" not in schema:
        return ""
    text = json.dumps(schema["default"])
    return f"`{_cell(text)}`" if len(text) <= 40 else "see the module reference"


def cluster_config_reference() -> str:
    from typhoon_tf.config.schema import cluster_schema

    schema = cluster_schema()
    lines = [
        "# Cluster config reference",
        "",
        "Generated from the cluster config's JSON Schema (`typhoon-tf schema`, published "
        f"with this site at [{SCHEMA_PATH}](../{SCHEMA_PATH}), the path of its `$id`). Editors "
        "that read `# yaml-language-server: $schema=...` complete and check the file as you "
        "type.",
        "",
        "## Top-level keys",
        "",
        "| Key | Type | Required | Description |",
        "|---|---|:---:|---|",
    ]
    required = set(schema["required"])
    for key, prop in schema["properties"].items():
        lines.append(
            f"| `{key}` | {_json_type(prop)} | {'yes' if key in required else 'no'} "
            f"| {_cell(prop.get('description', ''))} |"
        )
    lines += [
        "",
        "## `cluster:` per platform",
        "",
        "`cluster:` holds the module's input variables, with Typhoon's names, types and "
        "defaults. Which ones exist depends on `platform` and `os`; a variable that only one "
        "operating system has says so.",
    ]
    for platform in available_platforms():
        lines += ["", *_platform_variables(schema, platform)]
    lines += ["", *_pool_keys(schema)]
    return "\n".join(lines) + "\n"


def _pool_keys(schema: dict[str, Any]) -> list[str]:
    """`worker_pools:` keys per platform: the workers submodule's variables a pool sets."""
    lines = [
        "## `worker_pools:` per platform",
        "",
        "Each pool takes the platform's workers submodule variables that the cluster does not "
        "wire itself (see [Worker pools](../worker-pools.md)).",
    ]
    for platform in available_platforms():
        keys: dict[str, list[str]] = {}
        for os_name in OPERATING_SYSTEMS:
            for branch in schema["allOf"]:
                when = branch["if"]["properties"]
                if (when["platform"]["const"], when["os"]["const"]) != (platform, os_name):
                    continue
                items = branch["then"]["properties"]["worker_pools"].get("items", {})
                for key in items.get("properties", {}):
                    keys.setdefault(key, []).append(os_name)
        title = load_platform(platform).title
        if not keys:
            lines += ["", f"* {title}: no worker-pool module (use `worker_count`)."]
            continue
        shown = [
            f"`{k}`" + ("" if len(o) == 2 else f" ({OS_TITLES[o[0]]} only)")
            for k, o in keys.items()
        ]
        lines += ["", f"* {title}: {', '.join(shown)}"]
    return lines


def _branch(schema: dict[str, Any], platform: str, os_name: str) -> dict[str, Any]:
    for branch in schema["allOf"]:
        when = branch["if"]["properties"]
        if when["platform"]["const"] == platform and when["os"]["const"] == os_name:
            cluster: dict[str, Any] = branch["then"]["properties"]["cluster"]
            return cluster
    raise KeyError((platform, os_name))


def _platform_variables(schema: dict[str, Any], platform: str) -> list[str]:
    per_os = {os_name: _branch(schema, platform, os_name) for os_name in OPERATING_SYSTEMS}
    names: dict[str, dict[str, Any]] = {}
    for branch in per_os.values():
        for name, prop in branch["properties"].items():
            names.setdefault(name, prop)
    title = load_platform(platform).title
    lines = [
        f"### {title} {{#{platform}}}",
        "",
        "| Variable | Type | Default | Required | Description |",
        "|---|---|---|:---:|---|",
    ]
    for name, prop in names.items():
        having = [o for o, b in per_os.items() if name in b["properties"]]
        only = "" if len(having) == len(per_os) else f" *({OS_TITLES[having[0]]} only)*"
        needed = [o for o in having if name in per_os[o].get("required", [])]
        req = "yes" if needed == having else "no"
        if needed and needed != having:  # e.g. Azure's os_image: an upload on FCOS only
            req = f"on {OS_TITLES[needed[0]]}"
        lines.append(
            f"| `{name}` | {_json_type(prop)} | {_default(prop)} | {req} "
            f"| {_cell(prop.get('description', ''))}{only} |"
        )
    return lines


# --- CLI reference -----------------------------------------------------------------------


def _fixed_width(parser: argparse.ArgumentParser) -> None:
    """Format help at a fixed width, recursively (argparse reads the terminal otherwise)."""
    # **_: the CLI's parser may pass its own width (the terminal's); ours wins.
    parser.formatter_class = lambda prog, **_: argparse.HelpFormatter(prog, width=CLI_HELP_WIDTH)
    for sub in _subparsers(parser):
        _fixed_width(sub)


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public API to walk sub-commands
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for sub in action.choices.values():
                if id(sub) not in seen:  # aliases map several names to one parser
                    seen.add(id(sub))
                    yield sub


def command_parser(name: str) -> argparse.ArgumentParser:
    """The real parser of one sub-command, registered exactly as `typhoon-tf NAME` does."""
    from typhoon_tf.cli import COMMANDS

    module, help_text = COMMANDS[name]
    root = argparse.ArgumentParser(prog="typhoon-tf")
    subparsers = root.add_subparsers(dest="command")
    importlib.import_module(f"typhoon_tf.cli.{module}").register(subparsers, name, help_text)
    parser: argparse.ArgumentParser = subparsers.choices[name]
    _fixed_width(parser)
    return parser


def cli_reference() -> str:
    from typhoon_tf.cli import COMMANDS, _build_parser

    top = _build_parser([])
    _fixed_width(top)
    lines = [
        "# CLI reference",
        "",
        "Generated from `typhoon-tf`'s argument parser: each section is the command's "
        "`--help`. Exit status: 0 success, 1 a tool (Terraform, a validator) failed, 2 a user "
        "error (one line naming the file, key path and problem), 3 refused by a guard.",
        "",
        "```text",
        top.format_help().rstrip(),
        "```",
    ]
    for name, (_, help_text) in COMMANDS.items():
        parser = command_parser(name)
        lines += ["", f"## `{name}`", "", f"{help_text[:1].upper()}{help_text[1:]}.", ""]
        lines += ["```text", parser.format_help().rstrip(), "```"]
        for sub in _subparsers(parser):
            lines += ["", f"### `{sub.prog.removeprefix('typhoon-tf ')}`", ""]
            lines += ["```text", sub.format_help().rstrip(), "```"]
    return "\n".join(lines) + "\n"


# --- module reference --------------------------------------------------------------------


@dataclass(frozen=True)
class ModulePage:
    path: str  # under docs/
    title: str  # nav title
    repo: str  # the module's folder in the repository
    text: str


def module_pages() -> list[ModulePage]:
    """Each module's README, rendered by the generator that writes `modules/`."""
    from typhoon_tf.addons import addons_tree
    from typhoon_tf.bootstrap.module import readme as bootstrap_readme
    from typhoon_tf.generate.platform_module import ModuleRequest, platform_module

    pages = []
    for platform in available_platforms():
        for os_name in OPERATING_SYSTEMS:
            tree = platform_module(ModuleRequest(platform=platform, os=os_name))
            for rel in sorted(r for r in tree if r.endswith("README.md")):
                module = "kubernetes" if rel == "README.md" else rel.split("/")[0]
                repo = f"modules/{platform}/{os_name}/kubernetes/{posixpath.dirname(rel)}"
                pages.append(
                    ModulePage(
                        module_page_path(platform, os_name, module),
                        f"{OS_TITLES[os_name]} · {module}",
                        repo.rstrip("/"),
                        tree[rel],
                    )
                )
    pages.append(
        ModulePage(
            "reference/modules/bootstrap.md", "bootstrap", "modules/bootstrap", bootstrap_readme()
        )
    )
    for rel, text in sorted(addons_tree().items()):
        if rel.endswith("/README.md"):
            name = rel.split("/")[0]
            path = f"reference/modules/addons/{name}.md"
            pages.append(ModulePage(path, name, f"modules/addons/{name}", text))
    return pages


def modules_index(pages: list[ModulePage]) -> str:
    lines = [
        "# Terraform modules",
        "",
        "The modules under `modules/` in the repository, generated from the platform "
        "descriptions by `typhoon-tf modules`. Each cluster module accepts Typhoon's "
        "variables and gives its outputs; its page lists them, with the few deliberate "
        "differences from Typhoon.",
        "",
        "| Module in the repository | What it is |",
        "|---|---|",
    ]
    for page in pages:
        rel = page.path.removeprefix("reference/modules/")
        heading = next(ln for ln in page.text.splitlines() if ln.startswith("# "))
        lines.append(f"| [`{page.repo}`]({rel}) | {_cell(heading.removeprefix('# '))} |")
    return "\n".join(lines) + "\n"


# --- the whole site ----------------------------------------------------------------------


def generated_pages(docs_dir: Path) -> dict[str, str]:
    """Every generated file: path under docs/ -> Markdown (or the schema's JSON)."""
    from typhoon_tf.config.schema import cluster_schema

    pages = {
        getting_started_path(p, o): getting_started(docs_dir, p, o)
        for p in available_platforms()
        for o in OPERATING_SYSTEMS
    }
    pages["reference/cluster-config.md"] = cluster_config_reference()
    pages["reference/cli.md"] = cli_reference()
    modules = module_pages()
    pages["reference/modules/index.md"] = modules_index(modules)
    pages.update({m.path: m.text for m in modules})
    pages[SCHEMA_PATH] = json.dumps(cluster_schema(), indent=2) + "\n"
    return pages


def site_nav(docs_dir: Path) -> list[NavEntry]:
    getting = [
        {
            load_platform(p).title: [
                {OS_TITLES[o]: getting_started_path(p, o)} for o in OPERATING_SYSTEMS
            ]
        }
        for p in available_platforms()
    ]
    topics: list[NavEntry] = []
    for path, title, required in TOPICS:
        if required or (docs_dir / path).is_file():
            topics.append({title: SECTIONS.get(path, path)})
    modules: list[NavEntry] = [{"Overview": "reference/modules/index.md"}]
    by_platform: dict[str, list[NavEntry]] = {}
    others: list[NavEntry] = []
    for page in module_pages():
        platform = page.path.split("/")[2]
        if platform in available_platforms():
            by_platform.setdefault(load_platform(platform).title, []).append(
                {page.title: page.path}
            )
        else:
            others.append({page.title: page.path})
    modules += [{title: entries} for title, entries in by_platform.items()] + others
    return [
        {"Home": "index.md"},
        {"Getting started": getting},
        {"Topics": topics},
        {
            "Reference": [
                {"Cluster config": "reference/cluster-config.md"},
                {"CLI": "reference/cli.md"},
                {"Modules": modules},
            ]
        },
    ]


# --- links from hand-written pages into the repository -----------------------------------

_LINK = re.compile(r"\]\((?P<target>[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")


def repo_link_target(page_src: str, target: str) -> str | None:
    """A page under docs/ may link into the repository (`../modules/addons/fleetlock`), which
    works when reading on GitHub; on the site that module has a generated page instead.
    Returns the page (relative to `page_src`) or None when the link stays as it is."""
    if "://" in target or target.startswith("mailto:"):
        return None
    resolved = posixpath.normpath(posixpath.join("docs", posixpath.dirname(page_src), target))
    if not resolved.startswith("modules/"):
        return None
    parts = resolved.removeprefix("modules/").rstrip("/").split("/")
    page: str | None = None
    if parts[0] == "addons" and len(parts) == 2:
        page = f"reference/modules/addons/{parts[1]}.md"
    elif parts[0] == "bootstrap" and len(parts) == 1:
        page = "reference/modules/bootstrap.md"
    elif len(parts) in (3, 4) and parts[2] == "kubernetes":
        page = module_page_path(parts[0], parts[1], parts[3] if len(parts) == 4 else "kubernetes")
    if page is None:
        return None
    return posixpath.relpath(page, posixpath.dirname(page_src) or ".")


def rewrite_repo_links(markdown: str, page_src: str) -> str:
    def replace(match: re.Match[str]) -> str:
        new = repo_link_target(page_src, match["target"])
        if new is None:
            return match.group(0)
        return f"]({new}{match['anchor'] or ''})"

    return _LINK.sub(replace, markdown)


# --- MkDocs hooks (mkdocs.yml: hooks) -----------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config["nav"] = site_nav(Path(config["docs_dir"]))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    from mkdocs.structure.files import File

    for src, text in generated_pages(Path(config["docs_dir"])).items():
        if files.get_file_from_path(src) is not None:
            raise ValueError(f"docs/{src} is generated; remove the hand-written copy")
        files.append(File.generated(config, src, content=text))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return rewrite_repo_links(markdown, page.file.src_uri)
