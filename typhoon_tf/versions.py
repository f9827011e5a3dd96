"""Every image and version typhoon-tf pins, in one place.

Node templates, the bootstrap module, CNI manifests and addons all read from here, so a
version bump is a one-line change followed by regenerating the golden files
(`python -m tests.regen_node_goldens`, see tests/test_nodes_golden.py).

Values follow Typhoon v1.36.1 and terraform-render-bootstrap where those pin something
(they are known to work together); components Typhoon dropped (Calico, the update
coordinators) carry the newest upstream release we know of.
"""

from __future__ import annotations

from typing import Final

# The oldest Terraform our modules accept: `moved` blocks (Typhoon migration) need 1.1 and
# Typhoon's `optional()` object attributes (the `components` variable) need 1.3.
TERRAFORM_FLOOR: Final = (1, 3)

# Kubernetes release; the kubelet image and the control-plane images must agree.
KUBERNETES: Final = "v1.36.1"

# The kubelet image: the upstream kubelet binary in a small image (also runs bootstrap.service).
KUBELET_IMAGE: Final = f"quay.io/poseidon/kubelet:{KUBERNETES}"

ETCD: Final = "v3.5.13"
ETCD_IMAGE: Final = f"quay.io/coreos/etcd:{ETCD}"

KUBE_APISERVER_IMAGE: Final = f"registry.k8s.io/kube-apiserver:{KUBERNETES}"
KUBE_CONTROLLER_MANAGER_IMAGE: Final = f"registry.k8s.io/kube-controller-manager:{KUBERNETES}"
KUBE_SCHEDULER_IMAGE: Final = f"registry.k8s.io/kube-scheduler:{KUBERNETES}"
KUBE_PROXY_IMAGE: Final = f"registry.k8s.io/kube-proxy:{KUBERNETES}"

COREDNS: Final = "v1.13.1"
COREDNS_IMAGE: Final = f"registry.k8s.io/coredns/coredns:{COREDNS}"

# CNI plugins (DESIGN §3: calico, cilium, flannel).
CILIUM: Final = "v1.18.9"
CILIUM_AGENT_IMAGE: Final = f"quay.io/cilium/cilium:{CILIUM}"
CILIUM_OPERATOR_IMAGE: Final = f"quay.io/cilium/operator-generic:{CILIUM}"

# Typhoon v1.36.1's addons/flannel pins v0.28.5 (its changelog moved flannel to v0.28.4 in
# v1.35.4) while render-bootstrap's default still says v0.27.0: the newer one, so that a
# Typhoon addon user's switch to ours is no downgrade.
FLANNEL: Final = "v0.28.5"
FLANNEL_IMAGE: Final = f"docker.io/flannel/flannel:{FLANNEL}"
FLANNEL_CNI: Final = "v0.4.2"
FLANNEL_CNI_IMAGE: Final = f"quay.io/poseidon/flannel-cni:{FLANNEL_CNI}"

CALICO: Final = "v3.30.3"
CALICO_NODE_IMAGE: Final = f"quay.io/calico/node:{CALICO}"
CALICO_CNI_IMAGE: Final = f"quay.io/calico/cni:{CALICO}"
CALICO_KUBE_CONTROLLERS_IMAGE: Final = f"quay.io/calico/kube-controllers:{CALICO}"

# Coordinated OS updates (DESIGN §3): FLUO on Flatcar, fleetlock for Zincati on Fedora CoreOS.
FLUO: Final = "v0.9.0"
FLUO_IMAGE: Final = f"ghcr.io/flatcar/flatcar-linux-update-operator:{FLUO}"
FLEETLOCK: Final = "v0.4.0"
FLEETLOCK_IMAGE: Final = f"quay.io/poseidon/fleetlock:{FLEETLOCK}"

# Ingress and monitoring addons (typhoon_tf/addons/observability.py), as Typhoon's docs
# offer them; newest upstream releases we know of.
INGRESS_NGINX: Final = "v1.12.1"
INGRESS_NGINX_IMAGE: Final = f"registry.k8s.io/ingress-nginx/controller:{INGRESS_NGINX}"
PROMETHEUS: Final = "v3.5.0"
PROMETHEUS_IMAGE: Final = f"quay.io/prometheus/prometheus:{PROMETHEUS}"
NODE_EXPORTER: Final = "v1.9.1"
NODE_EXPORTER_IMAGE: Final = f"quay.io/prometheus/node-exporter:{NODE_EXPORTER}"
GRAFANA: Final = "12.0.2"
GRAFANA_IMAGE: Final = f"docker.io/grafana/grafana:{GRAFANA}"
