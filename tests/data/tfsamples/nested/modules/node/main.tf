terraform {
  required_providers {
    random = {
      source  = "hashicorp/random"
      version = "~> 3.0"
    }
  }
}

variable "name" {
  type = string
}

resource "random_pet" "suffix" {
  length = 2
}

output "config" {
  value = templatefile("${path.module}/templates/node.tpl", { name = var.name, pet = random_pet.suffix.id })
}
