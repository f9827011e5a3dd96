terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = "~> 2.1"
    }
  }
}

variable "nodes" {
  type    = list(string)
  default = ["a", "b"]
}

resource "null_resource" "node" {
  for_each = toset(var.nodes)

  triggers = {
    name = each.key
    ip   = cidrhost("10.0.0.0/24", index(var.nodes, each.key) + 10)
  }
}

output "ips" {
  value = { for name, node in null_resource.node : name => node.triggers.ip }
}
