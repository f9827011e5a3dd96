# Workers: a regional managed instance group of identical instances from one template.
resource "google_compute_region_instance_group_manager" "workers" {
  name        = "${var.name}-worker"
  description = "Compute instance group of ${var.name} workers"
  region      = var.region

  # instance name prefix for instances in the group
  base_instance_name = "${var.name}-worker"
  version {
    name              = "default"
    instance_template = google_compute_region_instance_template.worker.self_link
  }

  target_size  = var.worker_count
  target_pools = [google_compute_target_pool.workers.self_link]

  # A new template (node config, machine type, disk) rolls through the group: new instances
  # first (up to 3 extra, one per zone), none taken away before their replacement serves.
  update_policy {
    type                  = "PROACTIVE"
    max_surge_fixed       = 3
    max_unavailable_fixed = 0
    minimal_action        = "REPLACE"
  }

  named_port {
    name = "http"
    port = "80"
  }

  named_port {
    name = "https"
    port = "443"
  }

  auto_healing_policies {
    health_check      = google_compute_health_check.worker.id
    initial_delay_sec = 300
  }
}

# kube-proxy answers /healthz on 10256 once the node's networking works.
resource "google_compute_health_check" "worker" {
  name        = "${var.name}-worker-health"
  description = "Health check for worker node"

  timeout_sec        = 20
  check_interval_sec = 30

  healthy_threshold   = 1
  unhealthy_threshold = 6

  http_health_check {
    port         = "10256"
    request_path = "/healthz"
  }
}

resource "google_compute_region_instance_template" "worker" {
  name_prefix  = "${var.name}-worker-"
  description  = "${var.name} worker instance template"
  region       = var.region
  machine_type = var.machine_type

  # The node config holds the kubelet's bootstrap credentials: keep it out of plan output.
  metadata = {
    user-data = sensitive(local.worker_user_data)
  }

  scheduling {
    provisioning_model          = var.preemptible ? "SPOT" : "STANDARD"
    preemptible                 = var.preemptible
    automatic_restart           = var.preemptible ? false : true
    instance_termination_action = var.preemptible ? "STOP" : null
  }

  disk {
    auto_delete  = true
    boot         = true
    source_image = local.worker_image
    disk_size_gb = var.disk_size
    disk_type    = var.disk_type
  }

  network_interface {
    network = var.network
    # An ephemeral external IP for egress (there is no NAT gateway).
    access_config {}
  }

  # Pod traffic leaves nodes with pod source addresses.
  can_ip_forward = true
  tags           = ["worker", "${var.cluster_name}-worker", "${var.name}-worker"]

  dynamic "guest_accelerator" {
    for_each = tonumber(var.accelerator_count) > 0 ? [var.accelerator_type] : []
    content {
      type  = guest_accelerator.value
      count = tonumber(var.accelerator_count)
    }
  }

  # An OS update comes from the OS itself; a new image must not roll the pool.
  lifecycle {
    ignore_changes        = [disk[0].source_image]
    create_before_destroy = true
  }
}
