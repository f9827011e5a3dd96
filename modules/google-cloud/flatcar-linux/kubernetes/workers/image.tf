# Flatcar Linux image for workers: the newest image of the channel's family.
data "google_compute_image" "flatcar-linux" {
  project = "kinvolk-public"
  family  = var.os_image
}

locals {
  worker_image = data.google_compute_image.flatcar-linux.self_link
}
