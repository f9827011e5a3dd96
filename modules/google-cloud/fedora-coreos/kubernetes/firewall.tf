# Firewall rules. Rules are data: each names what it allows, where traffic comes from (CIDR
# ranges or node tags) and which nodes it reaches (tags). Keys are Typhoon's resource names
# (moved.tf moves Typhoon's resources here) and `name` its cloud-side name suffix.

locals {
  controller_tag = "${var.cluster_name}-controller"
  worker_tag     = "${var.cluster_name}-worker"
  node_tags      = [local.controller_tag, local.worker_tag]

  # Google's health checkers reach nodes from these ranges. Legacy HTTP health checks (the
  # workers' target pool asks the Ingress controller on 10254) also come from Google's
  # 209.85.152.0/22 and 209.85.204.0/22.
  google_health_check_ranges = ["35.191.0.0/16", "130.211.0.0/22"]
  google_lb_health_check_ranges = concat(
    local.google_health_check_ranges, ["209.85.152.0/22", "209.85.204.0/22"],
  )

  # Overlay and health traffic the chosen CNI needs between every pair of nodes.
  cni_rules = {
    flannel = {
      internal-flannel = {
        name  = "flannel"
        allow = [{ protocol = "udp", ports = ["8472"] }]
      }
    }
    cilium = {
      internal-cilium = {
        name = "cilium"
        allow = [
          { protocol = "udp", ports = ["8472"] },
          { protocol = "icmp", ports = null },
          { protocol = "tcp", ports = ["4240"] },
          { protocol = "tcp", ports = ["9962", "9963", "9964", "9965"] },
        ]
      }
    }
    calico = {
      internal-calico = {
        name = "calico"
        allow = [
          { protocol = "tcp", ports = ["179"] },
          { protocol = "ipip", ports = null },
          { protocol = "udp", ports = ["4789"] },
        ]
      }
    }
  }

  firewall_rules = merge(
    {
      for key, rule in local.cni_rules[var.networking] : key => {
        name          = rule.name
        allow         = rule.allow
        source_ranges = null, source_tags = local.node_tags, targets = local.node_tags
      }
    },
    {
      allow-ssh = {
        name          = "allow-ssh"
        allow         = [{ protocol = "tcp", ports = ["22"] }]
        source_ranges = ["0.0.0.0/0"], source_tags = null, targets = local.node_tags
      }
      allow-apiserver = {
        name          = "allow-apiserver"
        allow         = [{ protocol = "tcp", ports = ["6443"] }]
        source_ranges = ["0.0.0.0/0"], source_tags = null, targets = [local.controller_tag]
      }
      internal-etcd = {
        name          = "internal-etcd"
        allow         = [{ protocol = "tcp", ports = ["2379", "2380"] }]
        source_ranges = null, source_tags = [local.controller_tag], targets = [local.controller_tag]
      }
      internal-etcd-metrics = {
        name          = "internal-etcd-metrics"
        allow         = [{ protocol = "tcp", ports = ["2381"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = [local.controller_tag]
      }
      internal-kube-metrics = {
        name          = "internal-kube-metrics"
        allow         = [{ protocol = "tcp", ports = ["10257", "10259"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = [local.controller_tag]
      }
      internal-node-exporter = {
        name          = "internal-node-exporter"
        allow         = [{ protocol = "tcp", ports = ["9100"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = local.node_tags
      }
      internal-kube-proxy = {
        name          = "internal-kube-proxy"
        allow         = [{ protocol = "tcp", ports = ["10249"] }]
        source_ranges = null, source_tags = [local.worker_tag], targets = local.node_tags
      }
      internal-kubelet = {
        name          = "internal-kubelet"
        allow         = [{ protocol = "tcp", ports = ["10250"] }]
        source_ranges = null, source_tags = local.node_tags, targets = local.node_tags
      }
      allow-ingress = {
        name          = "allow-ingress"
        allow         = [{ protocol = "tcp", ports = ["80", "443"] }]
        source_ranges = ["0.0.0.0/0"], source_tags = null, targets = [local.worker_tag]
      }
      # kube-proxy's /healthz, the worker instance group's auto-healing signal.
      google-worker-health-checks = {
        name          = "worker-health"
        allow         = [{ protocol = "tcp", ports = ["10256"] }]
        source_ranges = local.google_health_check_ranges, source_tags = null, targets = [local.worker_tag]
      }
      # An Ingress controller's /healthz, the health signal of the ingress backends and of
      # the workers' target pool.
      google-ingress-health-checks = {
        name          = "ingress-health"
        allow         = [{ protocol = "tcp", ports = ["10254"] }]
        source_ranges = local.google_lb_health_check_ranges, source_tags = null, targets = [local.worker_tag]
      }
    },
  )
}

resource "google_compute_firewall" "rules" {
  for_each = local.firewall_rules

  name    = "${var.cluster_name}-${each.value.name}"
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
