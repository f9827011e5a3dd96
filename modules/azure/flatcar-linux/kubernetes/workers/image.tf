# Flatcar Linux: a channel selects Kinvolk's marketplace image (gen2 on amd64; arm64 images
# come from the corevm offer and need no purchase plan); an image ID is used as is.
locals {
  worker_custom_image = can(regex("^/subscriptions/", var.os_image))
  worker_channel      = replace(var.os_image, "flatcar-", "")
  worker_offer        = var.arch == "arm64" ? "flatcar-container-linux-corevm" : "flatcar-container-linux-free"
  worker_sku          = var.arch == "arm64" ? local.worker_channel : "${local.worker_channel}-gen2"

  worker_image_id = local.worker_custom_image ? var.os_image : null
  worker_marketplace_image = local.worker_custom_image ? [] : [{
    publisher = "kinvolk"
    offer     = local.worker_offer
    sku       = local.worker_sku
  }]
  worker_marketplace_plan = local.worker_custom_image || var.arch == "arm64" ? [] : [{
    publisher = "kinvolk"
    product   = local.worker_offer
    name      = local.worker_sku
  }]
  # Flatcar Linux ships the Azure VM agent: Azure's defaults (agent on, extensions allowed).
  vm_agent = null
}
