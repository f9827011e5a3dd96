# Ingress: global IPv4 and IPv6 addresses with TCP proxies to the workers' Ingress
# controller (HTTPS always; HTTP when enable_http_load_balancing). Global external proxy
# load balancers (EXTERNAL_MANAGED, as Typhoon since v1.33.2; the classic scheme is legacy).

resource "google_compute_global_address" "ingress-ipv4" {
  name       = "${var.cluster_name}-ingress-ipv4"
  ip_version = "IPV4"
}

resource "google_compute_global_address" "ingress-ipv6" {
  name       = "${var.cluster_name}-ingress-ipv6"
  ip_version = "IPV6"
}

locals {
  ingress_addresses = {
    ipv4 = google_compute_global_address.ingress-ipv4.address
    ipv6 = google_compute_global_address.ingress-ipv6.address
  }
}

resource "google_compute_global_forwarding_rule" "ingress-https" {
  for_each = local.ingress_addresses

  name                  = "${var.cluster_name}-ingress-https-${each.key}"
  ip_address            = each.value
  ip_protocol           = "TCP"
  port_range            = "443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  target                = google_compute_target_tcp_proxy.ingress-https.self_link
}

resource "google_compute_global_forwarding_rule" "ingress-http" {
  for_each = var.enable_http_load_balancing ? local.ingress_addresses : {}

  name                  = "${var.cluster_name}-ingress-http-${each.key}"
  ip_address            = each.value
  ip_protocol           = "TCP"
  port_range            = "80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  target                = google_compute_target_tcp_proxy.ingress-http[0].self_link
}

resource "google_compute_target_tcp_proxy" "ingress-https" {
  name            = "${var.cluster_name}-ingress-https"
  description     = "Distribute TCP/443 traffic across ${var.cluster_name} workers"
  backend_service = google_compute_backend_service.ingress-https.self_link
}

resource "google_compute_target_tcp_proxy" "ingress-http" {
  count = var.enable_http_load_balancing ? 1 : 0

  name            = "${var.cluster_name}-ingress-http"
  description     = "Distribute TCP/80 traffic across ${var.cluster_name} workers"
  backend_service = google_compute_backend_service.ingress-http[0].self_link
}

resource "google_compute_backend_service" "ingress-https" {
  name        = "${var.cluster_name}-ingress-https"
  description = "${var.cluster_name} ingress service"
  protocol    = "TCP"
  port_name   = "https"
  timeout_sec = "60"

  load_balancing_scheme = "EXTERNAL_MANAGED"
  session_affinity      = "NONE"

  backend {
    group = module.workers.instance_group
  }

  health_checks = [google_compute_health_check.ingress.self_link]
}

resource "google_compute_backend_service" "ingress-http" {
  count = var.enable_http_load_balancing ? 1 : 0

  name        = "${var.cluster_name}-ingress-http"
  description = "${var.cluster_name} ingress service"
  protocol    = "TCP"
  port_name   = "http"
  timeout_sec = "60"

  load_balancing_scheme = "EXTERNAL_MANAGED"
  session_affinity      = "NONE"

  backend {
    group = module.workers.instance_group
  }

  health_checks = [google_compute_health_check.ingress.self_link]
}

# An Ingress controller on the workers answers /healthz on 10254.
resource "google_compute_health_check" "ingress" {
  name        = "${var.cluster_name}-ingress-health"
  description = "Health check for Ingress controller"

  timeout_sec        = 5
  check_interval_sec = 5

  healthy_threshold   = 2
  unhealthy_threshold = 4

  http_health_check {
    port         = 10254
    request_path = "/healthz"
  }
}
