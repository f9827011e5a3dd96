"""Google Cloud: a Typhoon user switches `source` to our modules, beyond the fixture's values.

`tests/data/typhoon-migration/google-cloud-*` holds a Typhoon cluster with Cilium and HTTPS
ingress only. Typhoon users also run flannel and `enable_http_load_balancing = true`; those
resources sit at other Typhoon addresses (`internal-flannel[0]`, `ingress-http-ipv4[0]`, ...).
This test derives such a Typhoon state from the fixture (the same resources Typhoon's
templates declare for those settings: names, ports, descriptions, targets), plans it over
our committed `modules/` tree and requires that nothing is deleted or replaced and that no
firewall or load balancer part changes at all. Every generated module also carries a
`moved` block for every Typhoon address it regroups.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from uninstallable import NO_MODERN_TERRAFORM

from typhoon_tf.testing.migration import plan_migration
from typhoon_tf.testing.terraform_bin import TerraformBinary, module_terraforms

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "typhoon-migration"
OSES = ("fedora-coreos", "flatcar-linux")

# Typhoon HEAD's addresses (google-cloud/<os>/kubernetes) that our module regroups, and
# where they go.
TYPHOON_MOVES = {
    **{
        f"google_compute_firewall.{name}": f'google_compute_firewall.rules["{name}"]'
        for name in (
            "allow-ssh",
            "allow-apiserver",
            "allow-ingress",
            "internal-etcd",
            "internal-etcd-metrics",
            "internal-kube-metrics",
            "internal-node-exporter",
            "internal-kube-proxy",
            "internal-kubelet",
            "google-worker-health-checks",
            "google-ingress-health-checks",
        )
    },
    **{
        f"google_compute_firewall.{name}[0]": f'google_compute_firewall.rules["{name}"]'
        for name in ("internal-flannel", "internal-cilium")
    },
    **{
        f"google_compute_global_forwarding_rule.ingress-{proto}-{family}{index}": (
            f'google_compute_global_forwarding_rule.ingress-{proto}["{family}"]'
        )
        for proto, index in (("https", ""), ("http", "[0]"))
        for family in ("ipv4", "ipv6")
    },
}

# Resource types whose every attribute is cloud-side identity or traffic policy: the switch
# must leave them exactly as Typhoon made them.
UNCHANGED_TYPES = frozenset(
    {
        "google_compute_firewall",
        "google_compute_global_forwarding_rule",
        "google_compute_target_tcp_proxy",
        "google_compute_backend_service",
        "google_compute_health_check",
        "google_compute_http_health_check",
        "google_compute_instance",
        "google_compute_instance_group",
        "google_compute_network",
        "google_compute_global_address",
        "google_compute_target_pool",
        "google_dns_record_set",
    }
)


def _terraform() -> TerraformBinary:
    binaries = module_terraforms()
    if not binaries:
        pytest.skip(NO_MODERN_TERRAFORM)
    return binaries[0]


@pytest.mark.parametrize("os_name", OSES)
def test_every_regrouped_typhoon_address_has_a_moved_block(os_name: str) -> None:
    moved = (REPO / "modules/google-cloud" / os_name / "kubernetes/moved.tf").read_text()
    blocks = set(re.findall(r"moved \{\n  from = (\S+)\n  to   = (\S+)\n\}", moved))
    assert blocks == set(TYPHOON_MOVES.items())


def _resource(state: dict[str, Any], type_name: str, name: str) -> dict[str, Any]:
    """The one managed resource of `module.nova` with this type and name."""
    resources: list[dict[str, Any]] = [
        r
        for r in state["resources"]
        if r["mode"] == "managed"
        and r.get("module") == "module.nova"
        and (r["type"], r["name"]) == (type_name, name)
    ]
    (resource,) = resources
    return resource


def _http_twin(resource: dict[str, Any], name: str) -> dict[str, Any]:
    """Typhoon's HTTP (port 80, counted) twin of an HTTPS ingress resource."""
    text = json.dumps(resource)
    text = text.replace("ingress-https", "ingress-http").replace("TCP/443", "TCP/80")
    twin: dict[str, Any] = json.loads(text)
    twin["name"] = name
    for instance in twin["instances"]:
        instance["index_key"] = 0
        attributes = instance["attributes"]
        if attributes.get("port_range") == "443":
            attributes["port_range"] = "80"
        if attributes.get("port_name") == "https":
            attributes["port_name"] = "http"
    return twin


def typhoon_flannel_http_state(state: dict[str, Any]) -> dict[str, Any]:
    """The fixture's state as Typhoon leaves it with flannel and HTTP load balancing."""
    state = copy.deepcopy(state)
    cilium = _resource(state, "google_compute_firewall", "internal-cilium")
    cilium["name"] = "internal-flannel"
    (instance,) = cilium["instances"]
    attributes = instance["attributes"]
    attributes["allow"] = [{"ports": ["8472"], "protocol": "udp"}]
    for key in ("id", "self_link", "name"):
        attributes[key] = attributes[key].replace("nova-cilium", "nova-flannel")

    added = [
        _http_twin(
            _resource(state, "google_compute_backend_service", "ingress-https"), "ingress-http"
        ),
        _http_twin(
            _resource(state, "google_compute_target_tcp_proxy", "ingress-https"), "ingress-http"
        ),
    ]
    for family in ("ipv4", "ipv6"):
        rule = _resource(state, "google_compute_global_forwarding_rule", f"ingress-https-{family}")
        added.append(_http_twin(rule, f"ingress-http-{family}"))
    state["resources"].extend(added)
    state["serial"] = state.get("serial", 0) + 1
    return state


@pytest.mark.slow
@pytest.mark.parametrize("os_name", OSES)
def test_flannel_and_http_load_balancing_switch_in_place(os_name: str, tmp_path: Path) -> None:
    fixture = FIXTURES / f"google-cloud-{os_name}"
    derived = tmp_path / "fixture"
    derived.mkdir()
    main_tf = (fixture / "main.tf").read_text()
    assert 'networking         = "cilium"' in main_tf
    main_tf = main_tf.replace(
        'networking         = "cilium"',
        'networking         = "flannel"\n  enable_http_load_balancing = true',
    )
    (derived / "main.tf").write_text(main_tf)
    state = json.loads((fixture / "terraform.tfstate").read_text())
    (derived / "terraform.tfstate").write_text(json.dumps(typhoon_flannel_http_state(state)))

    plan = plan_migration(derived, REPO / "modules", tmp_path / "work", terraform=_terraform())
    bad = plan.destructive()
    assert not bad, "\n".join(c.describe() for c in bad)
    changes = plan.changes()
    assert not [c for c in changes if "create" in c.actions and "delete" not in c.actions]
    moved = {c.previous_address: c.address for c in changes if c.previous_address}
    expected = {
        f"module.nova.{typhoon}": f"module.nova.{ours}"
        for typhoon, ours in TYPHOON_MOVES.items()
        if "cilium" not in typhoon
    }
    assert moved == expected
    touched = [
        (c.address, c.changed)
        for c in changes
        if c.type in UNCHANGED_TYPES and c.action != "move" and c.actions != ("no-op",)
    ]
    assert not touched
