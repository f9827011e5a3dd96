# Flatcar Linux image for controllers, matching controller_arch.
data "aws_ami" "controller" {
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
  controller_ami = data.aws_ami.controller.image_id

  # AWS names the architectures differently from Kubernetes and Go.
  aws_architectures = {
    amd64 = "x86_64"
    arm64 = "arm64"
  }
}
