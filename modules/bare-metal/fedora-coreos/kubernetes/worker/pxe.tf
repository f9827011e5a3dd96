# What Matchbox serves a machine's iPXE: the Fedora CoreOS live kernel and initramfs, whose
# coreos-installer writes the OS to install_disk with the machine's Ignition from Matchbox,
# then reboots into it. cached_install serves the images from Matchbox's /assets instead.
locals {
  remote_base = "https://builds.coreos.fedoraproject.org/prod/streams/${var.os_stream}/builds/${var.os_version}/x86_64/fedora-coreos-${var.os_version}"
  cached_base = "/assets/fedora-coreos/fedora-coreos-${var.os_version}"
  image_base  = var.cached_install ? local.cached_base : local.remote_base
  rootfs_base = var.cached_install ? "${var.matchbox_http_endpoint}${local.cached_base}" : local.remote_base

  pxe_kernel = "${local.image_base}-live-kernel.x86_64"
  pxe_initrd = ["--name main ${local.image_base}-live-initramfs.x86_64.img"]
  pxe_args = concat([
    "initrd=main",
    "coreos.live.rootfs_url=${local.rootfs_base}-live-rootfs.x86_64.img",
    "coreos.inst.install_dev=${var.install_disk}",
    # iPXE fills in uuid and mac; Matchbox picks the machine's group by MAC.
    "coreos.inst.ignition_url=${var.matchbox_http_endpoint}/ignition?uuid=$${uuid}&mac=$${mac:hexhyp}",
  ], var.kernel_args)
}
