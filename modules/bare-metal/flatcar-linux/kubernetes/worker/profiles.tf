# This machine (selected by MAC address): Matchbox serves its PXE boot and its Ignition,
# which holds no cluster credentials (the kubeconfig arrives over SSH).

# First boot: the PXE image runs the installer (ignition/install.ign.tftpl).
resource "matchbox_profile" "install" {
  name   = format("%s-install-%s", var.cluster_name, var.name)
  kernel = local.pxe_kernel
  initrd = local.pxe_initrd
  args   = local.pxe_args

  raw_ignition = templatefile("${path.module}/ignition/install.ign.tftpl", {
    # Every value lands inside a JSON string of the install config: escape it as one.
    for name, value in merge(local.install_values, {
      ignition_url = "${var.matchbox_http_endpoint}/ignition?mac=${var.mac}&os=installed"
    }) : name => substr(jsonencode(value), 1, length(jsonencode(value)) - 2)
  })
}

# Typhoon's group id (no cluster prefix): Matchbox serves groups by id, and a user's other
# tooling may refer to it.
resource "matchbox_group" "install" {
  name    = format("install-%s", var.name)
  profile = matchbox_profile.install.name
  selector = {
    mac = var.mac
  }
}

# The installed OS asks for os=installed: the more specific group below answers.
resource "matchbox_profile" "worker" {
  name         = format("%s-worker-%s", var.cluster_name, var.name)
  raw_ignition = local.worker_user_data
}

resource "matchbox_group" "worker" {
  name    = format("%s-%s", var.cluster_name, var.name)
  profile = matchbox_profile.worker.name
  selector = {
    mac = var.mac
    os  = "installed"
  }
}
