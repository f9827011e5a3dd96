# Flatcar Linux image for controllers, matching controller_arch.
data "aws_ami" "controller" {
  # Only looked up when no AMI is pinned.
  count = var.controller_image_id == null ? 1 : 0

  most_recent = true
  owners      = ["075585003325"]

  filter {
    name   = "architecture"
    values = [local.aws_architectures[var.controller_arch]]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }

  filter {
    name   = "name"
    values = ["Flatcar-${split("-", var.os_image)[1]}-*"]
  }
}

locals {
  controller_ami = coalesce(var.controller_image_id, one(data.aws_ami.controller[*].image_id))

  # AWS names the architectures differently from Kubernetes and Go.
  aws_architectures = {
    amd64 = "x86_64"
    arm64 = "arm64"
  }
}
