# Security groups. Rules are data: each names its protocol, ports and source, where a source
# is "internet" (IPv4 and IPv6), "internet-ipv4" (IPv4 only), "self" (same role), or the
# other role ("controller" / "worker"). IPv6 is open exactly where Typhoon opens it: SSH to
# controllers and egress. Every rule argument forces a new rule on AWS, so the rules a
# Typhoon cluster has keep Typhoon's arguments; moved.tf maps Typhoon's addresses here.

locals {
  # Overlay and health traffic the chosen CNI needs between every pair of nodes.
  cni_rules = merge(
    var.networking == "calico" ? {
      calico-bgp   = { protocol = "tcp", from_port = 179, to_port = 179 }
      calico-ipip  = { protocol = "4", from_port = 0, to_port = 0 }
      calico-vxlan = { protocol = "udp", from_port = 4789, to_port = 4789 }
      } : {
      vxlan = { protocol = "udp", from_port = 8472, to_port = 8472 }
    },
    var.networking == "cilium" ? {
      icmp-echo      = { protocol = "icmp", from_port = 8, to_port = 0 }
      cilium-health  = { protocol = "tcp", from_port = 4240, to_port = 4240 }
      cilium-metrics = { protocol = "tcp", from_port = 9962, to_port = 9965 }
    } : {},
  )

  controller_rules = merge(
    { for name, rule in local.cni_rules : "${name}-self" => merge(rule, { source = "self" }) },
    { for name, rule in local.cni_rules : "${name}-worker" => merge(rule, { source = "worker" }) },
    {
      ssh            = { protocol = "tcp", from_port = 22, to_port = 22, source = "internet" }
      apiserver      = { protocol = "tcp", from_port = 6443, to_port = 6443, source = "internet-ipv4" }
      etcd           = { protocol = "tcp", from_port = 2379, to_port = 2380, source = "self" }
      etcd-metrics   = { protocol = "tcp", from_port = 2381, to_port = 2381, source = "worker" }
      node-exporter  = { protocol = "tcp", from_port = 9100, to_port = 9100, source = "worker" }
      kube-proxy     = { protocol = "tcp", from_port = 10249, to_port = 10249, source = "worker" }
      kubelet-self   = { protocol = "tcp", from_port = 10250, to_port = 10250, source = "self" }
      kubelet-worker = { protocol = "tcp", from_port = 10250, to_port = 10250, source = "worker" }
      controller-mgr = { protocol = "tcp", from_port = 10257, to_port = 10257, source = "worker" }
      kube-scheduler = { protocol = "tcp", from_port = 10259, to_port = 10259, source = "worker" }
    },
  )

  worker_rules = merge(
    { for name, rule in local.cni_rules : "${name}-self" => merge(rule, { source = "self" }) },
    { for name, rule in local.cni_rules : "${name}-controller" => merge(rule, { source = "controller" }) },
    {
      ssh                = { protocol = "tcp", from_port = 22, to_port = 22, source = "internet-ipv4" }
      http               = { protocol = "tcp", from_port = 80, to_port = 80, source = "internet-ipv4" }
      https              = { protocol = "tcp", from_port = 443, to_port = 443, source = "internet-ipv4" }
      node-exporter      = { protocol = "tcp", from_port = 9100, to_port = 9100, source = "self" }
      kube-proxy         = { protocol = "tcp", from_port = 10249, to_port = 10249, source = "self" }
      kubelet-self       = { protocol = "tcp", from_port = 10250, to_port = 10250, source = "self" }
      kubelet-controller = { protocol = "tcp", from_port = 10250, to_port = 10250, source = "controller" }
      ingress-health     = { protocol = "tcp", from_port = 10254, to_port = 10254, source = "internet-ipv4" }
    },
  )

  security_group_ids = {
    controller = aws_security_group.controller.id
    worker     = aws_security_group.worker.id
  }
}

resource "aws_security_group" "controller" {
  name        = "${var.cluster_name}-controller"
  description = "${var.cluster_name} controller security group"
  vpc_id      = aws_vpc.network.id

  tags = {
    "Name" = "${var.cluster_name}-controller"
  }
}

resource "aws_security_group_rule" "controller" {
  for_each = local.controller_rules

  security_group_id = aws_security_group.controller.id
  type              = "ingress"
  protocol          = each.value.protocol
  from_port         = each.value.from_port
  to_port           = each.value.to_port

  self                     = each.value.source == "self" ? true : null
  source_security_group_id = each.value.source == "worker" ? local.security_group_ids["worker"] : null
  cidr_blocks              = contains(["internet", "internet-ipv4"], each.value.source) ? ["0.0.0.0/0"] : null
  ipv6_cidr_blocks         = each.value.source == "internet" ? ["::/0"] : null
}

resource "aws_security_group_rule" "controller-egress" {
  security_group_id = aws_security_group.controller.id
  type              = "egress"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
  ipv6_cidr_blocks  = ["::/0"]
}

resource "aws_security_group" "worker" {
  name        = "${var.cluster_name}-worker"
  description = "${var.cluster_name} worker security group"
  vpc_id      = aws_vpc.network.id

  tags = {
    "Name" = "${var.cluster_name}-worker"
  }
}

resource "aws_security_group_rule" "worker" {
  for_each = local.worker_rules

  security_group_id = aws_security_group.worker.id
  type              = "ingress"
  protocol          = each.value.protocol
  from_port         = each.value.from_port
  to_port           = each.value.to_port

  self                     = each.value.source == "self" ? true : null
  source_security_group_id = each.value.source == "controller" ? local.security_group_ids["controller"] : null
  cidr_blocks              = contains(["internet", "internet-ipv4"], each.value.source) ? ["0.0.0.0/0"] : null
  ipv6_cidr_blocks         = each.value.source == "internet" ? ["::/0"] : null
}

resource "aws_security_group_rule" "worker-egress" {
  security_group_id = aws_security_group.worker.id
  type              = "egress"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
  ipv6_cidr_blocks  = ["::/0"]
}
