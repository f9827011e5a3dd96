locals {
  cluster = "tempest"
}

output "name" {
  value = "${local.cluster}-${local.missing}"
}
