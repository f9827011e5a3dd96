# Controllers: etcd members and the Kubernetes control plane, one droplet per controller.
# The apiserver name resolves round-robin to every controller (DigitalOcean has no TCP
# load balancer that Typhoon uses).

resource "digitalocean_record" "controllers" {
  count = var.controller_count

  domain = var.dns_zone
  name   = var.cluster_name
  type   = "A"
  ttl    = 300
  value  = digitalocean_droplet.controllers[count.index].ipv4_address
}

# Each controller's etcd peer name, e.g. nemo-etcd0.do.example.com -> private IP.
resource "digitalocean_record" "etcds" {
  count = var.controller_count

  domain = var.dns_zone
  name   = "${var.cluster_name}-etcd${count.index}"
  type   = "A"
  ttl    = 300
  value  = digitalocean_droplet.controllers[count.index].ipv4_address_private
}

resource "digitalocean_droplet" "controllers" {
  count = var.controller_count

  name   = "${var.cluster_name}-controller-${count.index}"
  region = var.region
  image  = var.os_image
  size   = var.controller_type

  vpc_uuid = digitalocean_vpc.network.id
  ipv6     = false

  # No cluster credentials: the kubeconfig arrives over SSH (ssh.tf).
  user_data = local.controller_user_data[count.index]
  ssh_keys  = var.ssh_fingerprints

  tags = [digitalocean_tag.controllers.id]

  # Controllers are etcd members: a new node config must never replace them in place.
  lifecycle {
    ignore_changes = [user_data]
  }
}
