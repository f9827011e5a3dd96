"""Optional cluster addons: component modules and plain manifests.

* `coredns`, `kube-proxy`, `flannel`, `cilium`, `calico` (`components.py`): Terraform
  modules with typed `hashicorp/kubernetes` resources, derived from the bootstrap module's
  templates, for clusters whose `components` hand a component over to its own workspace.

* `fleetlock` (Fedora CoreOS): a FleetLock server; Zincati on every node asks it for a
  reboot lock (nodes get the Zincati config when the cluster config enables coordinated
  updates).
* `fluo` (Flatcar Linux): the Flatcar Linux Update Operator and its per-node agent;
  locksmithd is masked on Flatcar nodes so the operator alone decides when nodes reboot.
* `nginx-ingress`, `prometheus` (with node-exporter), `grafana` (`observability.py`):
  Typhoon's ingress and monitoring addons, as plain manifests.
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
    """Everything under `modules/addons/` (the component modules and the update coordinators)."""
    # Imported here: the component generator reads the bootstrap templates and the provider
    # schema, which the fleetlock/FLUO renderers (used by `generate`) do not need.
    from typhoon_tf.addons.components import components_tree

    tree: dict[str, str] = dict(components_tree())
    tree["README.md"] = _index()
    tree.update(manifest_addons_tree(service_cidr))
    return tree


def manifest_addon_names() -> tuple[str, ...]:
    """Addons shipped as plain manifests (`typhoon-tf manifests --addon NAME`)."""
    from typhoon_tf.addons import observability

    return (*sorted(set(UPDATE_COORDINATOR.values())), *observability.NAMES)


def manifest_addons_tree(
    service_cidr: str = DEFAULT_SERVICE_CIDR, names: Sequence[str] | None = None
) -> dict[str, str]:
    """`<addon>/<file>` for each manifest addon in `names` (default: all of them)."""
    from typhoon_tf.addons import observability

    tree: dict[str, str] = {}
    for name in names if names is not None else manifest_addon_names():
        if name in observability.NAMES:
            files = observability.render(name)
        else:
            files = render_addon(name, service_cidr=service_cidr)
        tree.update({f"{name}/{rel}": text for rel, text in files.items()})
    return tree


def coordinators_tree(service_cidr: str = DEFAULT_SERVICE_CIDR) -> dict[str, str]:
    """The update coordinators' manifests and READMEs (fleetlock, FLUO)."""
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


def _index() -> str:
    from typhoon_tf.addons.components import COMPONENTS

    lines = [
        "<!-- Generated by typhoon-tf; do not edit. Regenerate with `typhoon-tf modules`. -->",
        "# Addons",
        "",
        "Component modules (Terraform, `hashicorp/kubernetes`), for components the cluster",
        "module leaves out (`components = { <name> = { enable = false } }`):",
        "",
        *(f"* [`{c.name}`]({c.name}): {c.summary}" for c in COMPONENTS),
        "",
        "Update coordinators (plain manifests for `kubectl apply`):",
        "",
        "* [`fleetlock`](fleetlock) (Fedora CoreOS) and [`fluo`](fluo) (Flatcar Linux).",
        "",
        "Ingress and monitoring (plain manifests for `kubectl apply -R -f <addon>`):",
        "",
        "* [`nginx-ingress`](nginx-ingress): Nginx Ingress controller on every worker.",
        "* [`prometheus`](prometheus): Prometheus and node-exporter.",
        "* [`grafana`](grafana): Grafana with a Prometheus datasource and dashboards.",
    ]
    return "\n".join(lines) + "\n"
