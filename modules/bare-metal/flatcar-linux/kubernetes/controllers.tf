# Controllers: Matchbox serves each machine (selected by MAC address) its PXE boot and its
# own Ignition, which holds no cluster credentials (the kubeconfig arrives over SSH).

# First boot: the PXE image runs the installer (ignition/install.ign.tftpl).
resource "matchbox_profile" "install" {
  count = length(var.controllers)

  name   = format("%s-install-%s", var.cluster_name, var.controllers[count.index].name)
  kernel = local.pxe_kernel
  initrd = local.pxe_initrd
  args   = local.pxe_args

  raw_ignition = templatefile("${path.module}/ignition/install.ign.tftpl", {
    # Every value lands inside a JSON string of the install config: escape it as one.
    for name, value in merge(local.install_values, {
      ignition_url = "${var.matchbox_http_endpoint}/ignition?mac=${var.controllers[count.index].mac}&os=installed"
    }) : name => substr(jsonencode(value), 1, length(jsonencode(value)) - 2)
  })
}

# Typhoon's group id (no cluster prefix): Matchbox serves groups by id, and a user's other
# tooling may refer to it.
resource "matchbox_group" "install" {
  count = length(var.controllers)

  name    = format("install-%s", var.controllers[count.index].name)
  profile = matchbox_profile.install[count.index].name
  selector = {
    mac = var.controllers[count.index].mac
  }
}

# The installed OS asks for os=installed: the more specific group below answers.
resource "matchbox_profile" "controllers" {
  count = length(var.controllers)

  name         = format("%s-controller-%s", var.cluster_name, var.controllers[count.index].name)
  raw_ignition = local.controller_user_data[count.index]
}

resource "matchbox_group" "controller" {
  count = length(var.controllers)

  name    = format("%s-%s", var.cluster_name, var.controllers[count.index].name)
  profile = matchbox_profile.controllers[count.index].name
  selector = {
    mac = var.controllers[count.index].mac
    os  = "installed"
  }
}
