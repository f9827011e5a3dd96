"""The conventional host directories every component agrees on (DESIGN §3).

The kubelet configuration, the containerd configuration, the node units and the CNI
manifests all read these names from here, so the directory a CNI DaemonSet writes its
config to is, by construction, the one containerd reads it from.
"""

from __future__ import annotations

from typing import Final

# Seed table: Typhoon's cni-conf-dir (HEAD moved to /etc/cni/net.d; we keep the seed's).
CNI_CONF_DIR: Final = "/etc/kubernetes/cni/net.d"
# Where Typhoon's CNI DaemonSets (terraform-render-bootstrap's cilium and flannel, Calico
# before its removal) write and read their config: hostPath /etc/cni/net.d. Nodes link it
# to CNI_CONF_DIR, so a cluster Typhoon bootstrapped keeps working with nodes we roll.
TYPHOON_CNI_CONF_DIR: Final = "/etc/cni/net.d"
CNI_BIN_DIR: Final = "/opt/cni/bin"
POD_MANIFEST_PATH: Final = "/etc/kubernetes/manifests"
VOLUME_PLUGIN_DIR: Final = "/var/lib/kubelet/volumeplugins"

KUBERNETES_DIR: Final = "/etc/kubernetes"
# Bootstrap-token kubeconfig: written by Ignition (clouds) or copied over SSH (DO, bare-metal).
BOOTSTRAP_KUBECONFIG: Final = "/etc/kubernetes/kubeconfig"
# Where the kubelet keeps the client kubeconfig it obtains through TLS bootstrap.
KUBELET_KUBECONFIG: Final = "/var/lib/kubelet/kubeconfig"
KUBELET_CONFIG: Final = "/etc/kubernetes/kubelet.yaml"
KUBELET_ENV: Final = "/etc/kubernetes/kubelet.env"
KUBELET_CA: Final = "/etc/kubernetes/ca.crt"
KUBELET_ROOT_DIR: Final = "/var/lib/kubelet"
PKI_DIR: Final = "/etc/kubernetes/pki"
CONTAINERD_SOCKET: Final = "/run/containerd/containerd.sock"
CONTAINERD_CONFIG: Final = "/etc/containerd/config.toml"

ETCD_DATA_DIR: Final = "/var/lib/etcd"
ETCD_ENV: Final = "/etc/etcd/etcd.env"
# Host directory holding etcd's TLS (mounted at /etc/ssl/certs inside the etcd container).
ETCD_TLS_HOST_DIR: Final = "/etc/ssl/etcd"

BOOTSTRAP_DIR: Final = "/opt/bootstrap"
# Where the controller asset bundle arrives over SSH before /opt/bootstrap/layout runs.
ASSETS_BUNDLE: Final = "/home/core/assets"

CLUSTER_DOMAIN: Final = "cluster.local"
# systemd-resolved's upstream resolv.conf (not the 127.0.0.53 stub) for pods.
RESOLV_CONF: Final = "/run/systemd/resolve/resolv.conf"

USERNAME: Final = "core"

# Kubelet setting name -> host location: the "Directory Locations" table of the OS docs.
DIRECTORY_LOCATIONS: Final[dict[str, str]] = {
    "cni-conf-dir": CNI_CONF_DIR,
    "cni-bin-dir": CNI_BIN_DIR,
    "pod-manifest-path": POD_MANIFEST_PATH,
    "volume-plugin-dir": VOLUME_PLUGIN_DIR,
}
