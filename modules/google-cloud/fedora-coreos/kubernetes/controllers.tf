# Controllers: etcd members and the Kubernetes control plane, spread over the region's zones.

data "google_compute_zones" "all" {
  region = var.region
}

locals {
  zones = data.google_compute_zones.all.names

  controllers_ipv4_public = google_compute_instance.controllers[*].network_interface[0].access_config[0].nat_ip
}

# Each controller's etcd peer name, e.g. tempest-etcd0.example.com. -> internal IP.
resource "google_dns_record_set" "etcds" {
  count = var.controller_count

  managed_zone = var.dns_zone_name
  name         = format("%s-etcd%d.%s.", var.cluster_name, count.index, var.dns_zone)
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_instance.controllers[count.index].network_interface[0].network_ip]
}

resource "google_compute_instance" "controllers" {
  count = var.controller_count

  name         = "${var.cluster_name}-controller-${count.index}"
  zone         = element(local.zones, count.index)
  machine_type = var.controller_type

  metadata = {
    user-data = local.controller_user_data[count.index]
  }

  boot_disk {
    auto_delete = true
    initialize_params {
      image = local.controller_image
      size  = var.controller_disk_size
      type  = var.controller_disk_type
    }
  }

  network_interface {
    network = google_compute_network.network.name
    # An ephemeral external IP: Terraform reaches the controller over SSH.
    access_config {}
  }

  # Pod traffic leaves nodes with pod source addresses.
  can_ip_forward            = true
  allow_stopping_for_update = true
  tags                      = [local.controller_tag]

  # Controllers are etcd members: a new image or node config must never replace them in place.
  lifecycle {
    ignore_changes = [
      metadata,
      boot_disk[0].initialize_params,
    ]
  }
}
