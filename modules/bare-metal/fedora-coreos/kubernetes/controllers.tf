# Controllers: Matchbox serves each machine (selected by MAC address) its PXE boot and its
# own Ignition, which holds no cluster credentials (the kubeconfig arrives over SSH).

resource "matchbox_profile" "controllers" {
  count = length(var.controllers)

  name   = format("%s-controller-%s", var.cluster_name, var.controllers[count.index].name)
  kernel = local.pxe_kernel
  initrd = local.pxe_initrd
  args   = local.pxe_args

  raw_ignition = local.controller_user_data[count.index]
}

resource "matchbox_group" "controller" {
  count = length(var.controllers)

  name    = format("%s-%s", var.cluster_name, var.controllers[count.index].name)
  profile = matchbox_profile.controllers[count.index].name
  selector = {
    mac = var.controllers[count.index].mac
  }
}
