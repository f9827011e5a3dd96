# Flatcar Linux: a channel selects Kinvolk's marketplace image (gen2 on amd64; arm64 images
# come from the corevm offer and need no purchase plan); an image ID is used as is.
locals {
  controller_custom_image = can(regex("^/subscriptions/", var.os_image))
  controller_channel      = replace(var.os_image, "flatcar-", "")
  controller_offer        = var.controller_arch == "arm64" ? "flatcar-container-linux-corevm" : "flatcar-container-linux-free"
  controller_sku          = var.controller_arch == "arm64" ? local.controller_channel : "${local.controller_channel}-gen2"

  controller_image_id = local.controller_custom_image ? var.os_image : null
  controller_marketplace_image = local.controller_custom_image ? [] : [{
    publisher = "kinvolk"
    offer     = local.controller_offer
    sku       = local.controller_sku
  }]
  controller_marketplace_plan = local.controller_custom_image || var.controller_arch == "arm64" ? [] : [{
    publisher = "kinvolk"
    product   = local.controller_offer
    name      = local.controller_sku
  }]
  # Flatcar Linux ships the Azure VM agent: Azure's defaults (agent on, extensions allowed).
  vm_agent = null
}
