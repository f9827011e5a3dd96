# Workers: identical droplets; the Ingress name resolves round-robin to every worker.

resource "digitalocean_record" "workers-record-a" {
  count = var.worker_count

  domain = var.dns_zone
  name   = "${var.cluster_name}-workers"
  type   = "A"
  ttl    = 300
  value  = digitalocean_droplet.workers[count.index].ipv4_address
}

resource "digitalocean_droplet" "workers" {
  count = var.worker_count

  name   = "${var.cluster_name}-worker-${count.index}"
  region = var.region
  image  = var.os_image
  size   = var.worker_type

  vpc_uuid = digitalocean_vpc.network.id
  ipv6     = false

  # No cluster credentials: the kubeconfig arrives over SSH (ssh.tf).
  user_data = local.worker_user_data
  ssh_keys  = var.ssh_fingerprints

  tags = [digitalocean_tag.workers.id]

  # A changed node config replaces workers; bring up the new droplet first.
  lifecycle {
    create_before_destroy = true
  }
}
