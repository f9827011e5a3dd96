# Network: an auto-mode VPC network (one subnetwork per region, created by Google).
resource "google_compute_network" "network" {
  name                    = var.cluster_name
  description             = "Network for the ${var.cluster_name} cluster"
  auto_create_subnetworks = true

  # Deleting a network waits for its instances and forwarding rules to go.
  timeouts {
    delete = "6m"
  }
}
