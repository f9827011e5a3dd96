# A target pool of the workers for regional network load balancers users may add.
resource "google_compute_target_pool" "workers" {
  name             = "${var.name}-worker-pool"
  region           = var.region
  session_affinity = "NONE"

  health_checks = [
    google_compute_http_health_check.workers.name,
  ]
}

# Target pools only take legacy HTTP health checks; this one asks an Ingress controller.
resource "google_compute_http_health_check" "workers" {
  name        = "${var.name}-target-pool-health"
  description = "Health check for the worker target pool"

  port         = 10254
  request_path = "/healthz"
}
