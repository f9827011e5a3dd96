locals {
  name = nosuchfn("tempest")
}

output "name" {
  value = local.name
}
