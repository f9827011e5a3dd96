# Azure insists on an RSA public key for a Linux VM's admin user. Nodes take the real key
# (any type) from Ignition, so when no azure_authorized_key is given a throwaway RSA key
# satisfies Azure; its private half is never used.
resource "tls_private_key" "azure" {
  count = var.azure_authorized_key == "" ? 1 : 0

  algorithm = "RSA"
  rsa_bits  = 2048
}

locals {
  azure_authorized_key = coalesce(var.azure_authorized_key, join("", tls_private_key.azure[*].public_key_openssh))
}
