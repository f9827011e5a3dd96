# Controllers and workers as the AWS modules shape them, but without the modules'
# `ignore_changes`: a new AMI or zone replaces the machine (ForceNew in the provider), which
# the driver's guard must refuse for controllers (tests/test_driver_guard.py).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "controller_ami" {
  type = string
}

variable "controller_zone" {
  type = string
}

variable "worker_ami" {
  type = string
}

variable "controller_type" {
  type    = string
  default = "t3.small"
}

resource "aws_instance" "controllers" {
  count = 1

  ami               = var.controller_ami
  instance_type     = var.controller_type
  availability_zone = var.controller_zone
  user_data         = "{}"
}

resource "aws_instance" "workers" {
  count = 1

  ami           = var.worker_ami
  instance_type = "t3.small"
  user_data     = "{}"
}
