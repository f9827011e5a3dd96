# What Matchbox serves a machine's iPXE: the Flatcar Linux PXE image, which boots with the
# install config (ignition/install.ign.tftpl). Its installer.service fetches the machine's
# Ignition from Matchbox (os=installed), runs flatcar-install onto install_disk and reboots.
# cached_install serves the images (and flatcar-install's download) from Matchbox's /assets.
locals {
  channel     = split("-", var.os_channel)[1]
  remote_base = "${var.download_protocol}://${local.channel}.release.flatcar-linux.net/amd64-usr/${var.os_version}"
  cached_base = "/assets/flatcar/${var.os_version}"
  image_base  = var.cached_install ? local.cached_base : local.remote_base

  pxe_kernel = "${local.image_base}/flatcar_production_pxe.vmlinuz"
  pxe_initrd = ["${local.image_base}/flatcar_production_pxe_image.cpio.gz"]
  pxe_args = concat([
    "initrd=flatcar_production_pxe_image.cpio.gz",
    # iPXE fills in uuid and mac; Matchbox picks the machine's install group by MAC.
    "flatcar.config.url=${var.matchbox_http_endpoint}/ignition?uuid=$${uuid}&mac=$${mac:hexhyp}",
    "flatcar.first_boot=yes",
  ], var.kernel_args)

  # Machine-independent values of the install config (ignition/install.ign.tftpl); each
  # profile adds its machine's ignition_url.
  install_values = {
    install_disk       = var.install_disk
    os_channel         = local.channel
    os_version         = var.os_version
    oem_type           = var.oem_type
    baseurl            = var.cached_install ? "${var.matchbox_http_endpoint}/assets/flatcar" : ""
    ssh_authorized_key = var.ssh_authorized_key
  }
}
