# A stand-in cluster for driver tests: real null provider, no cloud.
# Tests steer it by writing terraform.tfvars (controller_type, fail, sleep_seconds).
terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = "~> 2.1"
    }
  }
}

variable "controller_type" {
  type    = string
  default = "t3.small"
}

variable "worker_count" {
  type    = number
  default = 2
}

variable "fail" {
  type    = bool
  default = false
}

variable "sleep_seconds" {
  type    = number
  default = 0
}

resource "null_resource" "controllers" {
  count = 1
  triggers = {
    type = var.controller_type
  }
}

resource "null_resource" "workers" {
  count = var.worker_count
  triggers = {
    index = count.index
  }
}

resource "null_resource" "bootstrap" {
  depends_on = [null_resource.controllers]
  triggers = {
    fail  = var.fail
    sleep = var.sleep_seconds
  }

  provisioner "local-exec" {
    command = var.fail ? "echo 'bootstrap: etcd did not come up' >&2; exit 7" : "echo bootstrapping; sleep ${var.sleep_seconds}; echo bootstrapped"
  }
}

output "controller_ids" {
  value = null_resource.controllers[*].id
}

output "kubeconfig-admin" {
  value     = "apiVersion: v1\nkind: Config\nclusters:\n- name: tempest\n  cluster:\n    server: https://tempest.example.com:6443\n"
  sensitive = true
}
