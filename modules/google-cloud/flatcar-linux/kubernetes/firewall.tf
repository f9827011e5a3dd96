# Firewall rules. Rules are data: each names what it allows, where traffic comes from (CIDR
# ranges or node tags) and which nodes it reaches (tags).

locals {
  controller_tag = "${var.cluster_name}-controller"
  worker_tag     = "${var.cluster_name}-worker"
  node_tags      = [local.controller_tag, local.worker_tag]

  # Google's health checkers and proxies reach nodes from these ranges.
  google_health_check_ranges = ["35.191.0.0/16", "130.211.0.0/22"]

  # Overlay and health traffic the chosen CNI needs between every pair of nodes.
  cni_rules = {
    flannel = {
      internal-flannel = [{ protocol = "udp", ports = ["8472"] }]
    }
    cilium = {
      internal-cilium = [
        { protocol = "udp", ports = ["8472"] },
        { protocol = "icmp", ports = [] },
        { protocol = "tcp", ports = ["4240"] },
        { protocol = "tcp", ports = ["9962-9965"] },
      ]
    }
    calico = {
      internal-calico = [
        { protocol = "tcp", ports = ["179"] },
        { protocol = "ipip", ports = [] },
        { protocol = "udp", ports = ["4789"] },
      ]
    }
  }

  firewall_rules = merge(
    {
      for name, allow in local.cni_rules[var.networking] : name => {
        allow = allow, source_ranges = null, source_tags = local.node_tags, targets = local.node_tags
      }
    },
    {
      allow-ssh = {
        allow         = [{ protocol = "tcp", ports = ["22"] }]
        source_ranges = ["0.0.0.0/0"], source_tags = null, targets = local.node_tags
      }
      allow-apiserver = {
        allow         = [{ protocol = "tcp", ports = ["6443"] }]
        source_ranges = ["0.0.0.0/0"], source_tags = null, targets = [local.controller_tag]
      }
      internal-etcd = {
        allow         = [{ protocol = "tcp", ports = ["2379-2380"] }]
        source_ranges = null, source_tags = [local.controller_tag], targets = [local.controller_tag]
      }
      internal-etcd-metrics = {
        allow         = [{ protocol = "tcp", ports = ["2381"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = [local.controller_tag]
      }
      internal-kube-metrics = {
        allow         = [{ protocol = "tcp", ports = ["10257", "10259"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = [local.controller_tag]
      }
      internal-node-exporter = {
        allow         = [{ protocol = "tcp", ports = ["9100"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = local.node_tags
      }
      internal-kube-proxy = {
        allow         = [{ protocol = "tcp", ports = ["10249"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = local.node_tags
      }
      internal-kubelet = {
        allow         = [{ protocol = "tcp", ports = ["10250"] }]
        source_ranges = null, source_tags = local.node_tags, targets = local.node_tags
      }
      allow-ingress = {
        allow         = [{ protocol = "tcp", ports = ["80", "443"] }]
        source_ranges = ["0.0.0.0/0"], source_tags = null, targets = [local.worker_tag]
      }
      # kube-proxy's /healthz, the worker instance group's auto-healing signal.
      google-worker-health-checks = {
        allow         = [{ protocol = "tcp", ports = ["10256"] }]
        source_ranges = local.google_health_check_ranges, source_tags = null, targets = [local.worker_tag]
      }
      # An Ingress controller's /healthz, the ingress backends' health signal.
      google-ingress-health-checks = {
        allow         = [{ protocol = "tcp", ports = ["10254"] }]
        source_ranges = local.google_health_check_ranges, source_tags = null, targets = [local.worker_tag]
      }
    },
  )
}

resource "google_compute_firewall" "rules" {
  for_each = local.firewall_rules

  name    = "${var.cluster_name}-${each.key}"
  network = google_compute_network.network.name

  dynamic "allow" {
    for_each = each.value.allow
    content {
      protocol = allow.value.protocol
      ports    = allow.value.ports
    }
  }

  source_ranges = each.value.source_ranges
  source_tags   = each.value.source_tags
  target_tags   = each.value.targets
}
