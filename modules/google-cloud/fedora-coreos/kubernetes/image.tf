# Fedora CoreOS image for controllers: the newest image of the channel's family.
data "google_compute_image" "fedora-coreos" {
  project = "fedora-coreos-cloud"
  family  = "fedora-coreos-${var.os_stream}"
}

locals {
  controller_image = data.google_compute_image.fedora-coreos.self_link
}
