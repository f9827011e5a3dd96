# Fedora CoreOS image for workers, matching arch.
data "aws_ami" "worker" {
  # Only looked up when no AMI is pinned.
  count = var.image_id == null ? 1 : 0

  most_recent = true
  owners      = ["125523088429"]

  filter {
    name   = "architecture"
    values = [local.aws_architectures[var.arch]]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }

  filter {
    name   = "description"
    values = ["Fedora CoreOS ${var.os_stream} *"]
  }
}

locals {
  worker_ami = coalesce(var.image_id, one(data.aws_ami.worker[*].image_id))

  # AWS names the architectures differently from Kubernetes and Go.
  aws_architectures = {
    amd64 = "x86_64"
    arm64 = "arm64"
  }
}
