"""Azure: a Typhoon cluster switched to our modules changes exactly what the README says.

tests/test_typhoon_migration.py requires no destructive change on every platform. Azure is
held to more: the fake providers do not know which attributes force replacement, so any
planned change to a controller VM, scale set identity, rule or load balancer part would be a
replacement waiting to happen on real Azure. Here the switch plans no create, delete or
replacement (not even of Typhoon's SSH-copy `null_resource`s), no change at all to the
controllers, and in place only the worker scale sets' node config (`user_data_base64`),
which the module README lists. The fast tests pin the interface choices that keep this true
for clusters other than the fixtures' (admin key fallback, defaults per OS, resource types).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from uninstallable import NO_MODERN_TERRAFORM

from typhoon_tf.generate.platform_module import ModuleRequest, platform_module
from typhoon_tf.testing.migration import plan_migration
from typhoon_tf.testing.terraform_bin import module_terraforms

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "typhoon-migration"
OSES = ("fedora-coreos", "flatcar-linux")

# The only in-place changes the switch may plan: (resource type, changed attributes).
EXPECTED_UPDATES = {("azurerm_orchestrated_virtual_machine_scale_set", ("user_data_base64",))}


@pytest.mark.slow
@pytest.mark.parametrize("os_name", OSES)
def test_switch_changes_only_worker_node_configs(os_name: str, tmp_path: Path) -> None:
    binaries = module_terraforms()
    if not binaries:
        pytest.skip(NO_MODERN_TERRAFORM)
    plan = plan_migration(
        FIXTURES / f"azure-{os_name}", REPO / "modules", tmp_path, terraform=binaries[0]
    )
    changes = [c for c in plan.changes() if c.actions != ("no-op",) or c.previous_address]
    replaced = {c.address for c in changes if c.action == "replace"}
    assert replaced == set()
    others = [c for c in changes if c.action != "replace"]
    assert all(c.action == "update" for c in others), [c.describe() for c in others]
    assert {(c.type, c.changed) for c in others} == EXPECTED_UPDATES
    assert {c.address for c in others} == {
        "module.nova.module.workers.azurerm_orchestrated_virtual_machine_scale_set.workers",
        "module.nova-pool.azurerm_orchestrated_virtual_machine_scale_set.workers",
    }


def _tree(os_name: str) -> dict[str, str]:
    return platform_module(ModuleRequest(platform="azure", os=os_name))


@pytest.mark.parametrize("os_name", OSES)
def test_worker_pools_are_typhoons_resource_types(os_name: str) -> None:
    workers = _tree(os_name)["workers/workers.tf"]
    assert 'resource "azurerm_orchestrated_virtual_machine_scale_set" "workers"' in workers
    assert 'resource "azurerm_monitor_autoscale_setting" "workers"' in workers
    assert '"${var.name}-maintain-desired"' in workers
    for setting in (
        "platform_fault_domain_count = 1",
        "encryption_at_host_enabled = true",
        "termination_notification {",
        "user_data_base64 = base64encode(local.worker_user_data)",
    ):
        assert setting in " ".join(workers.split()), setting
    rolling = "rolling_upgrade_policy {" in workers
    assert rolling is (os_name == "flatcar-linux")
    assert ("ApplicationHealthLinux" in workers) is rolling
    assert ("automatic_instance_repair {" in workers) is rolling


@pytest.mark.parametrize("os_name", OSES)
@pytest.mark.parametrize("module", ["admin_key.tf", "workers/admin_key.tf"])
def test_admin_key_falls_back_to_ssh_authorized_key_as_typhoon(os_name: str, module: str) -> None:
    text = " ".join(_tree(os_name)[module].split())
    # azure_authorized_key if set, else ssh_authorized_key; a generated key only when that
    # is no RSA key (Typhoon would fail there: Azure refuses other key types).
    assert (
        'typhoon_admin_key = var.azure_authorized_key != "" ? var.azure_authorized_key'
        " : var.ssh_authorized_key" in text
    )
    assert 'can(regex("^ssh-rsa ", var.ssh_authorized_key))' in text
    assert "count = local.admin_key_is_rsa ? 0 : 1" in text


def test_controllers_ignore_what_would_replace_them() -> None:
    for os_name in OSES:
        controllers = _tree(os_name)["controllers.tf"]
        vm = controllers.split('resource "azurerm_linux_virtual_machine" "controllers"')[1]
        ignored = vm.split("ignore_changes = [")[1].split("]")[0].split()
        # Typhoon ignores os_disk and custom_data; the VM agent setting forces a new VM and
        # Typhoon leaves it at Azure's default, so an existing controller keeps its own.
        assert [i.rstrip(",") for i in ignored] == [
            "os_disk",
            "custom_data",
            "provision_vm_agent",
            "allow_extension_operations",
        ]
        assert "tags" not in vm  # Typhoon sets none: {} would be an update on every VM
        assert 'resource "azurerm_network_interface_security_group_association" "controllers"' in (
            controllers
        )
