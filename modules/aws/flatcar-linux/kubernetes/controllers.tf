# Controllers: etcd members and the Kubernetes control plane, one instance per controller.

# Each controller's etcd peer name, e.g. tempest-etcd0.aws.example.com -> private IP.
resource "aws_route53_record" "etcds" {
  count = var.controller_count

  zone_id = var.dns_zone_id
  name    = format("%s-etcd%d.%s.", var.cluster_name, count.index, var.dns_zone)
  type    = "A"
  ttl     = 300
  records = [aws_instance.controllers[count.index].private_ip]
}

resource "aws_instance" "controllers" {
  count = var.controller_count

  instance_type = var.controller_type
  ami           = local.controller_ami
  user_data     = local.controller_user_data[count.index]

  root_block_device {
    volume_type = var.controller_disk_type
    volume_size = var.controller_disk_size
    iops        = var.controller_disk_iops
    encrypted   = true
    tags = {
      "Name" = "${var.cluster_name}-controller-${count.index}"
    }
  }

  # Require IMDSv2 session tokens: the node's metadata agent supports them, and
  # unauthenticated IMDSv1 requests are a common SSRF target.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  associate_public_ip_address = true
  subnet_id                   = aws_subnet.public[count.index % length(aws_subnet.public)].id
  vpc_security_group_ids      = [aws_security_group.controller.id]

  # Always present (null keeps the AWS default), as Typhoon has it: dropping the block would
  # be an update of every controller after a switch from Typhoon.
  credit_specification {
    cpu_credits = var.controller_cpu_credits
  }

  tags = {
    "Name" = "${var.cluster_name}-controller-${count.index}"
  }

  # Controllers are etcd members: a new AMI or node config must never replace them in place.
  lifecycle {
    ignore_changes = [
      ami,
      user_data,
    ]
  }
}
