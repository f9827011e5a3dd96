# This machine (selected by MAC address): Matchbox serves its PXE boot and its Ignition,
# which holds no cluster credentials (the kubeconfig arrives over SSH).

resource "matchbox_profile" "worker" {
  name   = format("%s-worker-%s", var.cluster_name, var.name)
  kernel = local.pxe_kernel
  initrd = local.pxe_initrd
  args   = local.pxe_args

  raw_ignition = local.worker_user_data
}

resource "matchbox_group" "worker" {
  name    = format("%s-%s", var.cluster_name, var.name)
  profile = matchbox_profile.worker.name
  selector = {
    mac = var.mac
  }
}
