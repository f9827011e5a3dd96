# Typhoon's addresses for resources this module groups (Typhoon users switch `source` and
# keep their firewall rules and forwarding rules: same cloud-side names, moved in state).
# A `from` that is not in the state (another CNI, HTTP load balancing off) is ignored.

moved {
  from = google_compute_firewall.allow-ssh
  to   = google_compute_firewall.rules["allow-ssh"]
}

moved {
  from = google_compute_firewall.allow-apiserver
  to   = google_compute_firewall.rules["allow-apiserver"]
}

moved {
  from = google_compute_firewall.internal-etcd
  to   = google_compute_firewall.rules["internal-etcd"]
}

moved {
  from = google_compute_firewall.internal-etcd-metrics
  to   = google_compute_firewall.rules["internal-etcd-metrics"]
}

moved {
  from = google_compute_firewall.internal-kube-metrics
  to   = google_compute_firewall.rules["internal-kube-metrics"]
}

moved {
  from = google_compute_firewall.internal-node-exporter
  to   = google_compute_firewall.rules["internal-node-exporter"]
}

moved {
  from = google_compute_firewall.internal-kube-proxy
  to   = google_compute_firewall.rules["internal-kube-proxy"]
}

moved {
  from = google_compute_firewall.internal-kubelet
  to   = google_compute_firewall.rules["internal-kubelet"]
}

moved {
  from = google_compute_firewall.allow-ingress
  to   = google_compute_firewall.rules["allow-ingress"]
}

moved {
  from = google_compute_firewall.google-worker-health-checks
  to   = google_compute_firewall.rules["google-worker-health-checks"]
}

moved {
  from = google_compute_firewall.google-ingress-health-checks
  to   = google_compute_firewall.rules["google-ingress-health-checks"]
}

# CNI rules: Typhoon counts them (one of flannel, cilium). Calico's rule is ours.
moved {
  from = google_compute_firewall.internal-flannel[0]
  to   = google_compute_firewall.rules["internal-flannel"]
}

moved {
  from = google_compute_firewall.internal-cilium[0]
  to   = google_compute_firewall.rules["internal-cilium"]
}

# Ingress forwarding rules, one per address family and port.
moved {
  from = google_compute_global_forwarding_rule.ingress-https-ipv4
  to   = google_compute_global_forwarding_rule.ingress-https["ipv4"]
}

moved {
  from = google_compute_global_forwarding_rule.ingress-https-ipv6
  to   = google_compute_global_forwarding_rule.ingress-https["ipv6"]
}

moved {
  from = google_compute_global_forwarding_rule.ingress-http-ipv4[0]
  to   = google_compute_global_forwarding_rule.ingress-http["ipv4"]
}

moved {
  from = google_compute_global_forwarding_rule.ingress-http-ipv6[0]
  to   = google_compute_global_forwarding_rule.ingress-http["ipv6"]
}
