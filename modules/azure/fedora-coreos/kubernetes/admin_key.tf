# Azure insists on an RSA public key for a Linux VM's admin user; nodes take their real key
# (any type) from Ignition. As Typhoon: azure_authorized_key if set, else ssh_authorized_key.
# Only where that is no RSA key (an ed25519 ssh_authorized_key and no azure_authorized_key,
# which Azure would refuse) a throwaway RSA key is generated; its private half is never used.
locals {
  typhoon_admin_key = var.azure_authorized_key != "" ? var.azure_authorized_key : var.ssh_authorized_key
  admin_key_is_rsa  = var.azure_authorized_key != "" || can(regex("^ssh-rsa ", var.ssh_authorized_key))
}

resource "tls_private_key" "azure" {
  count = local.admin_key_is_rsa ? 0 : 1

  algorithm = "RSA"
  rsa_bits  = 2048
}

locals {
  azure_authorized_key = local.admin_key_is_rsa ? local.typhoon_admin_key : join("", tls_private_key.azure[*].public_key_openssh)
}
