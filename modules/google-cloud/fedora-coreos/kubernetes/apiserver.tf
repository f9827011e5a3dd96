# The apiserver behind a global TCP proxy load balancer on 6443, backed by one zonal
# instance group of controllers per zone.

resource "google_dns_record_set" "apiserver" {
  managed_zone = var.dns_zone_name
  name         = format("%s.%s.", var.cluster_name, var.dns_zone)
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.apiserver-ipv4.address]
}

resource "google_compute_global_address" "apiserver-ipv4" {
  name       = "${var.cluster_name}-apiserver-ip"
  ip_version = "IPV4"
}

resource "google_compute_global_forwarding_rule" "apiserver" {
  name                  = "${var.cluster_name}-apiserver"
  ip_address            = google_compute_global_address.apiserver-ipv4.address
  ip_protocol           = "TCP"
  port_range            = "6443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  target                = google_compute_target_tcp_proxy.apiserver.self_link
}

resource "google_compute_target_tcp_proxy" "apiserver" {
  name            = "${var.cluster_name}-apiserver"
  description     = "Distribute TCP load across ${var.cluster_name} controllers"
  backend_service = google_compute_backend_service.apiserver.self_link
}

resource "google_compute_backend_service" "apiserver" {
  name                  = "${var.cluster_name}-apiserver"
  description           = "${var.cluster_name} apiserver service"
  protocol              = "TCP"
  port_name             = "apiserver"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  session_affinity      = "NONE"
  # Long-lived watches and exec sessions.
  timeout_sec = "300"

  dynamic "backend" {
    for_each = google_compute_instance_group.controllers[*].self_link
    content {
      group = backend.value
    }
  }

  health_checks = [google_compute_health_check.apiserver.self_link]
}

# One unmanaged instance group per zone that holds controllers.
resource "google_compute_instance_group" "controllers" {
  count = min(var.controller_count, length(local.zones))

  name = format("%s-controllers-%s", var.cluster_name, element(local.zones, count.index))
  zone = element(local.zones, count.index)

  named_port {
    name = "apiserver"
    port = "6443"
  }

  instances = matchkeys(
    google_compute_instance.controllers[*].self_link,
    google_compute_instance.controllers[*].zone,
    [element(local.zones, count.index)],
  )
}

# The apiserver serves TLS on 6443; an SSL check knows it answers, without credentials.
resource "google_compute_health_check" "apiserver" {
  name        = "${var.cluster_name}-apiserver-health"
  description = "Health check for kube-apiserver"

  timeout_sec        = 5
  check_interval_sec = 5

  healthy_threshold   = 1
  unhealthy_threshold = 3

  ssl_health_check {
    port = "6443"
  }
}
