# Firewalls select droplets by tag. Node-to-node traffic is allowed from the cluster's
# tags only; SSH (Terraform delivers secrets over it), the apiserver and Ingress are public.

locals {
  cluster_tags = [digitalocean_tag.controllers.name, digitalocean_tag.workers.name]
}

resource "digitalocean_firewall" "rules" {
  name = var.cluster_name
  tags = local.cluster_tags

  inbound_rule {
    protocol    = "icmp"
    source_tags = local.cluster_tags
  }

  # Terraform's provisioners and operators
  inbound_rule {
    protocol         = "tcp"
    port_range       = "22"
    source_addresses = ["0.0.0.0/0", "::/0"]
  }

  # Cilium health
  inbound_rule {
    protocol    = "tcp"
    port_range  = "4240"
    source_tags = local.cluster_tags
  }

  # Cilium metrics
  inbound_rule {
    protocol    = "tcp"
    port_range  = "9962-9965"
    source_tags = local.cluster_tags
  }

  # VXLAN overlay (flannel and Cilium)
  inbound_rule {
    protocol    = "udp"
    port_range  = "8472"
    source_tags = local.cluster_tags
  }

  # node-exporter, scraped by Prometheus on workers
  inbound_rule {
    protocol    = "tcp"
    port_range  = "9100"
    source_tags = [digitalocean_tag.workers.name]
  }

  # kube-proxy metrics
  inbound_rule {
    protocol    = "tcp"
    port_range  = "10249"
    source_tags = [digitalocean_tag.workers.name]
  }

  # kubelet API
  inbound_rule {
    protocol    = "tcp"
    port_range  = "10250"
    source_tags = local.cluster_tags
  }

  # All outbound traffic. The rules are Typhoon's, port_range on ICMP included: the
  # firewall then matches the state Typhoon left and is not updated by the switch.
  outbound_rule {
    protocol              = "tcp"
    port_range            = "1-65535"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }

  outbound_rule {
    protocol              = "udp"
    port_range            = "1-65535"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }

  outbound_rule {
    protocol              = "icmp"
    port_range            = "1-65535"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }
}

resource "digitalocean_firewall" "controllers" {
  name = "${var.cluster_name}-controllers"
  tags = [digitalocean_tag.controllers.name]

  # etcd clients and peers
  inbound_rule {
    protocol    = "tcp"
    port_range  = "2379-2380"
    source_tags = [digitalocean_tag.controllers.name]
  }

  # etcd metrics
  inbound_rule {
    protocol    = "tcp"
    port_range  = "2381"
    source_tags = [digitalocean_tag.workers.name]
  }

  inbound_rule {
    protocol         = "tcp"
    port_range       = "6443"
    source_addresses = ["0.0.0.0/0", "::/0"]
  }

  # kube-controller-manager and kube-scheduler metrics
  inbound_rule {
    protocol    = "tcp"
    port_range  = "10257-10259"
    source_tags = [digitalocean_tag.workers.name]
  }
}

resource "digitalocean_firewall" "workers" {
  name = "${var.cluster_name}-workers"
  tags = [digitalocean_tag.workers.name]

  inbound_rule {
    protocol         = "tcp"
    port_range       = "80"
    source_addresses = ["0.0.0.0/0", "::/0"]
  }

  inbound_rule {
    protocol         = "tcp"
    port_range       = "443"
    source_addresses = ["0.0.0.0/0", "::/0"]
  }

  # Ingress controller health checks
  inbound_rule {
    protocol         = "tcp"
    port_range       = "10254"
    source_addresses = ["0.0.0.0/0"]
  }
}
