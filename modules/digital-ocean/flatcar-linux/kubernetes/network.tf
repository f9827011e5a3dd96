# Network: a VPC for the cluster's private traffic, and tags that firewall rules select.

resource "digitalocean_vpc" "network" {
  name        = var.cluster_name
  region      = var.region
  description = "Network for ${var.cluster_name} cluster"
}

resource "digitalocean_tag" "controllers" {
  name = "${var.cluster_name}-controller"
}

resource "digitalocean_tag" "workers" {
  name = "${var.cluster_name}-worker"
}
