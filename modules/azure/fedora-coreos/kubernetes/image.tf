# Fedora CoreOS has no Azure Marketplace image: os_image is the ID of an image you uploaded.
# Fedora CoreOS ships no Azure VM agent (Afterburn reports the VM ready), so Azure must not
# wait for one or offer extensions.
locals {
  controller_image_id          = var.os_image
  controller_marketplace_image = []
  controller_marketplace_plan  = []
  vm_agent                     = false
}
