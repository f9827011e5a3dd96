"""Optional cluster addons, as plain manifests a user applies with kubectl.

* `fleetlock` (Fedora CoreOS): a FleetLock server; Zincati on every node asks it for a
  reboot lock (nodes get the Zincati config when the cluster config enables coordinated
  updates).
* `fluo` (Flatcar Linux): the Flatcar Linux Update Operator and its per-node agent;
  locksmithd is masked on Flatcar nodes so the operator alone decides when nodes reboot.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from importlib import resources

from typhoon_tf import jinja_env, versions

# Which addon coordinates OS updates on which OS.
UPDATE_COORDINATOR = {"fedora-coreos": "fleetlock", "flatcar-linux": "fluo"}
FLEETLOCK_SERVICE_INDEX = 15  # cidrhost(service_cidr, 15), as in Typhoon's fleetlock docs
DEFAULT_SERVICE_CIDR = "10.3.0.0/16"


def fleetlock_service_ip(service_cidr: str = DEFAULT_SERVICE_CIDR) -> str:
    network = ipaddress.ip_network(service_cidr)
    return str(network.network_address + FLEETLOCK_SERVICE_INDEX)


def fleetlock_url(service_cidr: str = DEFAULT_SERVICE_CIDR) -> str:
    """The base_url Zincati uses: the fleetlock Service's fixed cluster IP."""
    return f"http://{fleetlock_service_ip(service_cidr)}/"


def render_addon(
    name: str,
    *,
    service_cidr: str = DEFAULT_SERVICE_CIDR,
    daemonset_tolerations: Sequence[str] = (),
) -> dict[str, str]:
    """The addon's files (manifests and README), keyed by file name."""
    contexts: dict[str, dict[str, object]] = {
        "fleetlock": {
            "namespace": "kube-system",
            "image": versions.FLEETLOCK_IMAGE,
            "service_ip": fleetlock_service_ip(service_cidr),
        },
        "fluo": {
            "namespace": "reboot-coordinator",
            "image": versions.FLUO_IMAGE,
            "daemonset_tolerations": list(daemonset_tolerations),
        },
    }
    context = contexts[name]
    template = resources.files(__name__).joinpath("templates", name, f"{name}.yaml.j2")
    manifest = jinja_env.STRINGS.from_string(template.read_text()).render(**context)
    return {f"{name}.yaml": manifest, "README.md": _readme(name, service_cidr)}


def addons_tree(service_cidr: str = DEFAULT_SERVICE_CIDR) -> dict[str, str]:
    tree: dict[str, str] = {}
    for name in sorted(set(UPDATE_COORDINATOR.values())):
        for rel, text in render_addon(name, service_cidr=service_cidr).items():
            tree[f"{name}/{rel}"] = text
    return tree


def _readme(name: str, service_cidr: str) -> str:
    if name == "fleetlock":
        return f"""# fleetlock (Fedora CoreOS)

Coordinated OS updates for Fedora CoreOS: Zincati on each node takes a reboot lock from
this FleetLock server, which drains the node first; one node reboots at a time.

    kubectl apply -f fleetlock.yaml

Nodes must point Zincati at the server. typhoon-tf writes
`/etc/zincati/config.d/55-update-strategy.toml` on every node when the cluster config says
`coordinated_updates: true`; the server listens on the fixed Service IP
`{fleetlock_service_ip(service_cidr)}` (`cidrhost(service_cidr, {FLEETLOCK_SERVICE_INDEX})`).
Image: `{versions.FLEETLOCK_IMAGE}`.
"""
    return f"""# Flatcar Linux Update Operator (Flatcar Linux)

Coordinated OS updates for Flatcar Linux: update_engine downloads updates, the
update-agent DaemonSet marks nodes that need a reboot, and the operator drains and reboots
them a few at a time. typhoon-tf masks locksmithd on Flatcar nodes, so nothing else reboots
them.

    kubectl apply -f fluo.yaml

Image: `{versions.FLUO_IMAGE}`.
"""
