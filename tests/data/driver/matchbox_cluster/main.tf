# Bare-metal-shaped sample: matchbox_group.controller is a controller by the guard's
# default list. Served by the harness's schema-faithful fake matchbox provider, which
# (like the real one) replaces a group when any argument changes.
terraform {
  required_providers {
    matchbox = {
      source  = "poseidon/matchbox"
      version = "~> 0.5.0"
    }
  }
}

provider "matchbox" {
  endpoint    = "matchbox.example.com:8081"
  client_cert = "cert"
  client_key  = "key"
  ca          = "ca"
}

variable "controller_kernel" {
  type    = string
  default = "/assets/fedora-coreos/kernel-40"
}

resource "matchbox_profile" "controllers" {
  name   = "tempest-controller"
  kernel = var.controller_kernel
}

resource "matchbox_group" "controller" {
  name    = "tempest-node1"
  profile = matchbox_profile.controllers.name
  selector = {
    mac = "52:54:00:a1:9c:ae"
  }
  metadata = {
    kernel = var.controller_kernel
  }
}

resource "matchbox_profile" "workers" {
  name   = "tempest-worker"
  kernel = "/assets/fedora-coreos/kernel-40"
}

output "controller_profile" {
  value = matchbox_profile.controllers.name
}
