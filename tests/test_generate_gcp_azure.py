"""Google Cloud and Azure end to end, offline: cluster config → generated root module → real
Terraform (init, fmt, validate, plan, apply, no-change re-plan) → node configs read back
from state (GCE `metadata["user-data"]`, Azure base64 `custom_data`) → ignition-validate →
the real Ignition binary lays them out on a scratch root.

The fast tests check generation only: determinism, `terraform fmt`, the size limits and that
the Fedora CoreOS and Flatcar Linux trees of one platform differ only where the OS contract
says they should. The harness removes SSH provisioners from its scratch copy only (they need
reachable machines); everything else runs as written.
"""

from __future__ import annotations

import base64
import difflib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cluster_oracles import (
    BUTANE_OF,
    apply_to_root,
    external_program_on_path,  # noqa: F401  (used by pytestmark)
    ignition_validate,
)
from test_nodes_helpers import scratch_dir

from typhoon_tf.config import ClusterConfig, example_config
from typhoon_tf.generate.platform_module import ModuleRequest, platform_module
from typhoon_tf.platforms import load_platform

pytestmark = pytest.mark.usefixtures("external_program_on_path")

OSES = ("fedora-coreos", "flatcar-linux")
PLATFORMS = ("google-cloud", "azure")
GCP_METADATA_VALUE_LIMIT = 256 * 1024
AZURE_CUSTOM_DATA_LIMIT = 64 * 1024  # of base64 text

# Files whose FCOS and Flatcar versions may differ, per platform: the node configs and their
# glue (Butane variant), the image source, the interface docs, and the OS-only variables
# (FCOS os_stream vs Flatcar os_image on GCP; Flatcar's arch on Azure).
OS_SPECIFIC_FILES = {
    "google-cloud": {
        "README.md",
        "variables.tf",
        "image.tf",
        "ignition.tf",
        "ignition/controller.ign.tftpl",
        "workers.tf",
        "workers/README.md",
        "workers/variables.tf",
        "workers/image.tf",
        "workers/ignition.tf",
        "workers/ignition/worker.ign.tftpl",
    },
    "azure": {
        "README.md",
        "variables.tf",
        "image.tf",
        "ignition.tf",
        "ignition/controller.ign.tftpl",
        "workers.tf",
        "workers/README.md",
        "workers/variables.tf",
        "workers/image.tf",
        "workers/ignition.tf",
        "workers/ignition/worker.ign.tftpl",
        "workers/workers.tf",  # Flatcar's rolling upgrades, instance repair, health extension
    },
}

SNIPPET = """\
variant: {variant}
version: {version}
storage:
  files:
    - path: /etc/typhoon-snippet/{name}
      mode: 0644
      contents:
        inline: from {name}
"""


def snippet(os_name: str, name: str) -> str:
    variant, version = BUTANE_OF[os_name]
    return SNIPPET.format(variant=variant, version=version, name=name)


def cluster_config(platform: str, os_name: str, **variables: Any) -> ClusterConfig:
    """The embedded example with `variables` set; a None value removes the variable."""
    config = example_config(platform, os_name)
    merged = {k: v for k, v in dict(config.variables, **variables).items() if v is not None}
    return replace(config, variables=merged)


# --- oracles ---------------------------------------------------------------------------


def terraform_fmt_check(tree: dict[str, str], where: Path) -> None:
    from typhoon_tf.testing.terraform_bin import TerraformNotFound, find_terraform

    try:
        terraform = find_terraform()
    except TerraformNotFound as err:
        pytest.skip(str(err))
    for rel, text in tree.items():
        path = where / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    proc = subprocess.run(
        [str(terraform.path), "fmt", "-check", "-recursive", "-diff", str(where)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def assert_controller_root(root: Path, index: int, controllers: int, dns_zone: str) -> None:
    assert (root / "etc/kubernetes/kubeconfig").read_text().startswith("apiVersion: v1")
    etcd_env = (root / "etc/etcd/etcd.env").read_text()
    assert f"ETCD_NAME=etcd{index}\n" in etcd_env
    for j in range(controllers):
        assert f"etcd{j}=https://" in etcd_env and f"-etcd{j}.{dns_zone}:2380" in etcd_env
    units = root / "etc/systemd/system"
    assert (units / "etcd-member.service").is_file()
    assert (units / "kubelet.service").is_file()
    assert (root / "opt/bootstrap/layout").is_file()


def assert_worker_root(root: Path) -> None:
    assert (root / "etc/kubernetes/kubeconfig").read_text().startswith("apiVersion: v1")
    assert not (root / "etc/etcd/etcd.env").exists()
    assert (root / "etc/systemd/system/kubelet.service").is_file()


def values_of(result: Any, type_name: str) -> list[dict[str, Any]]:
    resources = sorted(result.resources(type_name), key=lambda r: r["address"])
    return [r["values"] for r in resources]


def names_of(result: Any, type_name: str) -> set[str]:
    return {v["name"] for v in values_of(result, type_name)}


@pytest.fixture
def scratch() -> Iterator[Path]:
    with scratch_dir() as path:
        yield path


# --- fast: generation only ---------------------------------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("os_name", OSES)
def test_module_tree_is_deterministic_and_fmt_clean(
    tmp_path: Path, platform: str, os_name: str
) -> None:
    request = ModuleRequest(platform=platform, os=os_name)
    tree = platform_module(request)
    assert tree == platform_module(request)
    assert {"ignition/controller.ign.tftpl", "workers/ignition/worker.ign.tftpl"} <= set(tree)
    assert "local.controller_user_data[count.index]" in tree["controllers.tf"]
    terraform_fmt_check(tree, tmp_path / "module")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_os_trees_differ_only_where_the_os_contract_says(platform: str) -> None:
    fcos, flatcar = (platform_module(ModuleRequest(platform=platform, os=o)) for o in OSES)
    assert set(fcos) == set(flatcar)
    differing = {rel for rel in fcos if fcos[rel] != flatcar[rel]}
    unexpected = differing - OS_SPECIFIC_FILES[platform]
    assert not unexpected, {
        rel: "".join(
            difflib.unified_diff(fcos[rel].splitlines(True), flatcar[rel].splitlines(True))
        )
        for rel in unexpected
    }
    # The cluster's own wiring of the worker pool differs only in OS-only variables.
    changed = [
        line
        for line in difflib.ndiff(
            fcos["workers.tf"].splitlines(), flatcar["workers.tf"].splitlines()
        )
        if line.startswith(("- ", "+ "))
    ]
    expected = {
        "google-cloud": ["- os_stream = var.os_stream", "+ os_image = var.os_image"],
        "azure": ["+ arch = var.worker_arch"],
    }[platform]
    assert [" ".join(line.split()) for line in changed] == expected


def test_gcp_images_come_from_the_os_projects() -> None:
    fcos = platform_module(ModuleRequest(platform="google-cloud", os="fedora-coreos"))
    flatcar = platform_module(ModuleRequest(platform="google-cloud", os="flatcar-linux"))
    assert 'project = "fedora-coreos-cloud"' in fcos["image.tf"]
    assert 'family  = "fedora-coreos-${var.os_stream}"' in fcos["workers/image.tf"]
    assert 'project = "kinvolk-public"' in flatcar["image.tf"]
    assert "family  = var.os_image" in flatcar["workers/image.tf"]


def test_azure_ipv6_load_balancing_defaults_as_typhoon_per_os() -> None:
    for os_name, default in (("fedora-coreos", "false"), ("flatcar-linux", "true")):
        tree = platform_module(ModuleRequest(platform="azure", os=os_name))
        block = tree["variables.tf"].split('variable "enable_ipv6_load_balancing"')[1]
        block = block.split("\n}\n")[0]
        assert f"default     = {default}" in block, block


def test_size_limits_are_declared() -> None:
    assert load_platform("google-cloud").user_data_limit == GCP_METADATA_VALUE_LIMIT
    assert load_platform("azure").user_data_limit == AZURE_CUSTOM_DATA_LIMIT * 3 // 4


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("os_name", OSES)
def test_examples_load_for_both_oses(platform: str, os_name: str) -> None:
    config = example_config(platform, os_name)
    assert (config.platform, config.os) == (platform, os_name)


def test_azure_root_module_provider_has_a_features_block() -> None:
    from typhoon_tf.generate.root_module import root_module

    main_tf = root_module(example_config("azure"))["main.tf"]
    provider = main_tf.split('provider "azurerm" {')[1].split("\n}\n")[0]
    assert "\n  features {}" in provider


# --- slow: real Terraform over whole clusters ------------------------------------------


def check_gcp(result: Any, config: ClusterConfig, controllers: int) -> list[str]:
    """GCP resources as Typhoon builds them; returns the controllers' node configs."""
    instances = values_of(result, "google_compute_instance")
    assert len(instances) == controllers
    records = {v["name"]: v["rrdatas"] for v in values_of(result, "google_dns_record_set")}
    zone = config.variables["dns_zone"]
    for i, instance in enumerate(instances):
        ip = instance["network_interface"][0]["network_ip"]
        assert records[f"yavin-etcd{i}.{zone}."] == [ip]
    assert f"yavin.{zone}." in records
    groups = values_of(result, "google_compute_instance_group")
    assert len(groups) == min(controllers, 3)
    assert sum(len(g["instances"]) for g in groups) == controllers
    # Typhoon's cloud-side firewall names (a Typhoon user's rules are kept, not recreated).
    firewall = names_of(result, "google_compute_firewall")
    networking = config.variables["networking"]
    assert firewall == {f"yavin-{networking}", "yavin-worker-health", "yavin-ingress-health"} | {
        f"yavin-{rule}"
        for rule in ("allow-ssh", "allow-apiserver", "allow-ingress", "internal-etcd")
        + ("internal-etcd-metrics", "internal-kube-metrics", "internal-node-exporter")
        + ("internal-kube-proxy", "internal-kubelet")
    }
    rules = {v["name"]: v for v in values_of(result, "google_compute_firewall")}
    ingress_health = set(rules["yavin-ingress-health"]["source_ranges"])
    assert {"209.85.152.0/22", "209.85.204.0/22"} <= ingress_health
    for lb_type in ("google_compute_global_forwarding_rule", "google_compute_backend_service"):
        schemes = {v["name"]: v["load_balancing_scheme"] for v in values_of(result, lb_type)}
        assert set(schemes.values()) == {"EXTERNAL_MANAGED"}, schemes
    (manager,) = values_of(result, "google_compute_region_instance_group_manager")
    assert manager["update_policy"][0]["minimal_action"] == "REPLACE"
    assert manager["target_size"] == config.variables["worker_count"]
    forwarding = names_of(result, "google_compute_global_forwarding_rule")
    protocols = (
        ["https", "http"] if config.variables.get("enable_http_load_balancing") else ["https"]
    )
    assert forwarding == {"yavin-apiserver"} | {
        f"yavin-ingress-{proto}-{family}" for proto in protocols for family in ("ipv4", "ipv6")
    }
    configs = [v["metadata"]["user-data"] for v in instances]
    for text in configs:
        assert len(text.encode()) <= GCP_METADATA_VALUE_LIMIT
    return configs


def check_azure(result: Any, config: ClusterConfig, controllers: int) -> list[str]:
    """Azure resources as Typhoon builds them; returns the controllers' node configs."""
    vms = values_of(result, "azurerm_linux_virtual_machine")
    assert len(vms) == controllers
    etcd_names = {v["name"] for v in values_of(result, "azurerm_dns_a_record")}
    assert etcd_names == {"ramius"} | {f"ramius-etcd{i}" for i in range(controllers)}
    protocols = (
        ["https", "http"] if config.variables.get("enable_http_load_balancing") else ["https"]
    )
    # enable_ipv6_load_balancing defaults as Typhoon's: off on Fedora CoreOS, on on Flatcar.
    families = ("ipv4", "ipv6") if config.os == "flatcar-linux" else ("ipv4",)
    assert names_of(result, "azurerm_lb_rule") == {f"apiserver-{family}" for family in families} | {
        f"ingress-{proto}-{family}" for proto in protocols for family in families
    }
    assert names_of(result, "azurerm_lb_outbound_rule") == {"outbound-ipv4", "outbound-ipv6"}
    # Every controller NIC carries the controller security group, as in Typhoon.
    nsg_links = values_of(result, "azurerm_network_interface_security_group_association")
    assert len(nsg_links) == controllers
    # Typhoon's cloud-side rule names (a Typhoon user's rules are kept, not recreated).
    rules = values_of(result, "azurerm_network_security_rule")
    rule_names = {r["name"] for r in rules}
    cilium = config.variables["networking"] == "cilium"
    expected = {"allow-vxlan-ipv4", "allow-vxlan-ipv6", "allow-apiserver-ipv4", "deny-all"}
    assert expected <= rule_names
    assert "allow-kube-proxy-metrics-ipv6" in rule_names  # the controller rule's name
    assert ("allow-cilium-health-ipv4" in rule_names) is cilium
    priorities: dict[str, list[int]] = {}
    for rule in rules:
        group = rule["network_security_group_name"]
        priorities.setdefault(group, []).append(rule["priority"])
    for group, taken in priorities.items():
        assert len(taken) == len(set(taken)), f"{group}: duplicate NSG priorities"
    (scale_set,) = values_of(result, "azurerm_orchestrated_virtual_machine_scale_set")
    assert scale_set["instances"] == config.variables["worker_count"]
    assert scale_set["platform_fault_domain_count"] == 1
    assert scale_set["encryption_at_host_enabled"] is True
    assert scale_set["termination_notification"][0]["enabled"] is True
    (autoscale,) = values_of(result, "azurerm_monitor_autoscale_setting")
    assert autoscale["name"] == "ramius-maintain-desired"
    (capacity,) = autoscale["profile"][0]["capacity"]
    assert set(capacity.values()) == {config.variables["worker_count"]}
    fcos = config.os == "fedora-coreos"
    (linux,) = scale_set["os_profile"][0]["linux_configuration"]
    if fcos:
        # No Azure VM agent on Fedora CoreOS (Flatcar Linux keeps Azure's default, on).
        assert linux["provision_vm_agent"] is False
        assert scale_set["extension_operations_enabled"] is False
        assert scale_set["upgrade_mode"] == "Manual"
        assert all(vm["provision_vm_agent"] is False for vm in vms)
    else:
        assert scale_set["upgrade_mode"] == "Rolling"
        assert scale_set["automatic_instance_repair"][0]["enabled"] is True
        (extension,) = scale_set["extension"]
        assert extension["type"] == "ApplicationHealthLinux"
    image_id = config.variables.get("os_image")
    for vm in vms + [scale_set]:
        if image_id:
            assert vm["source_image_id"] == image_id
            assert not vm["source_image_reference"]
        else:
            (ref,) = vm["source_image_reference"]
            assert (ref["publisher"], ref["offer"], ref["sku"]) == (
                "kinvolk",
                "flatcar-container-linux-free",
                "stable-gen2",
            )
            assert vm["plan"][0]["product"] == "flatcar-container-linux-free"
    configs = []
    for vm in vms:
        encoded = vm["custom_data"]
        assert len(encoded) <= AZURE_CUSTOM_DATA_LIMIT
        configs.append(base64.b64decode(encoded).decode())
    return configs


CONTROLLER_TYPES = {
    "google-cloud": "google_compute_instance",
    "azure": "azurerm_linux_virtual_machine",
}
WORKER_TYPES = {
    "google-cloud": "google_compute_region_instance_template",
    "azure": "azurerm_orchestrated_virtual_machine_scale_set",
}


def case_config(platform: str, os_name: str, controllers: int) -> ClusterConfig:
    """One generate per case. Single-controller cases also carry Butane snippets as
    variables, HTTP load balancing and flannel; multi-controller ones keep the defaults
    (cilium, HTTPS only)."""
    overrides: dict[str, Any] = {"controller_count": controllers, "worker_count": controllers}
    if controllers == 1:
        overrides.update(
            controller_snippets=[snippet(os_name, "controller-variable")],
            worker_snippets=[snippet(os_name, "worker-variable")],
            enable_http_load_balancing=True,
            networking="flannel",
        )
    if platform == "azure" and os_name == "flatcar-linux" and controllers > 1:
        # Exercise the marketplace image (the example names an uploaded image).
        overrides["os_image"] = None
    return cluster_config(platform, os_name, **overrides)


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("os_name", OSES)
@pytest.mark.parametrize("controllers", [1, 3])
def test_cluster_applies_offline(
    tmp_path: Path, scratch: Path, platform: str, os_name: str, controllers: int
) -> None:
    from typhoon_tf.generate import generate
    from typhoon_tf.testing.harness import verify_module

    config = case_config(platform, os_name, controllers)
    out = generate(config, tmp_path / "cluster")
    result = verify_module(out, workdir=tmp_path / "work")

    removed = {b.resource for b in result.removed_blocks}
    assert {"null_resource.copy-controller-secrets", "null_resource.bootstrap"} <= removed
    assert result.output("kubeconfig-admin").startswith("apiVersion: v1")
    assert result.output("kubeconfig").startswith("apiVersion: v1")
    check = check_gcp if platform == "google-cloud" else check_azure
    controller_configs = check(result, config, controllers)

    rendered = result.rendered_user_data()
    from_state = [v for k, v in sorted(rendered.items()) if f"{CONTROLLER_TYPES[platform]}." in k]
    assert from_state == controller_configs
    workers = [v for k, v in rendered.items() if f"{WORKER_TYPES[platform]}." in k]
    assert len(workers) == 1, sorted(rendered)

    dns_zone = config.variables["dns_zone"]
    controller_roots: list[Path] = []
    for i, text in enumerate(controller_configs):
        assert len(text.encode()) <= load_platform(platform).user_data_limit
        ignition_validate(text, tmp_path)
        root = apply_to_root(text, scratch, f"controller{i}")
        assert_controller_root(root, i, controllers, dns_zone)
        controller_roots.append(root)
    ignition_validate(workers[0], tmp_path)
    worker_root = apply_to_root(workers[0], scratch, "worker")
    assert_worker_root(worker_root)

    if config.variables.get("controller_snippets"):
        # Snippets given as variables: transpiled by the external program, merged at boot.
        text = (controller_roots[0] / "etc/typhoon-snippet/controller-variable").read_text()
        assert text == "from controller-variable"
        text = (worker_root / "etc/typhoon-snippet/worker-variable").read_text()
        assert text == "from worker-variable"
        assert not (worker_root / "etc/typhoon-snippet/controller-variable").exists()
