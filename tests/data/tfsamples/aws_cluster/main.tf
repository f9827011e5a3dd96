terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    null = {
      source  = "hashicorp/null"
      version = ">= 2.1"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_availability_zones" "all" {}

data "aws_ami" "fcos" {
  most_recent = true
  owners      = ["125523088429"]

  filter {
    name   = "name"
    values = ["fedora-coreos-*"]
  }
}

data "aws_route53_zone" "cluster" {
  name = var.dns_zone
}

resource "aws_vpc" "network" {
  cidr_block           = var.host_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.cluster_name }
}

resource "aws_internet_gateway" "gateway" {
  vpc_id = aws_vpc.network.id
  tags   = { Name = var.cluster_name }
}

resource "aws_route_table" "default" {
  vpc_id = aws_vpc.network.id
  tags   = { Name = var.cluster_name }
}

resource "aws_route" "egress" {
  route_table_id         = aws_route_table.default.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.gateway.id
}

resource "aws_subnet" "public" {
  count = 3

  vpc_id                  = aws_vpc.network.id
  availability_zone       = data.aws_availability_zones.all.names[count.index]
  cidr_block              = cidrsubnet(var.host_cidr, 4, count.index)
  map_public_ip_on_launch = true
  tags                    = { Name = "${var.cluster_name}-public-${count.index}" }
}

resource "aws_route_table_association" "public" {
  count = 3

  route_table_id = aws_route_table.default.id
  subnet_id      = aws_subnet.public[count.index].id
}

resource "aws_security_group" "node" {
  name   = "${var.cluster_name}-node"
  vpc_id = aws_vpc.network.id
}

resource "aws_security_group_rule" "ingress" {
  for_each = { ssh = 22, apiserver = 6443, kubelet = 10250, etcd = 2379 }

  security_group_id = aws_security_group.node.id
  type              = "ingress"
  protocol          = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "egress" {
  security_group_id = aws_security_group.node.id
  type              = "egress"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_instance" "controller" {
  count = var.controller_count

  ami                    = data.aws_ami.fcos.image_id
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.public[count.index % 3].id
  vpc_security_group_ids = [aws_security_group.node.id]
  user_data = jsonencode({
    ignition = { version = "3.3.0" }
    storage = {
      files = [{
        path     = "/etc/hostname"
        contents = { source = "data:,${var.cluster_name}-controller-${count.index}" }
      }]
    }
  })

  root_block_device {
    volume_size = 30
    volume_type = "gp3"
  }

  tags = { Name = "${var.cluster_name}-controller-${count.index}" }
}

resource "aws_instance" "worker" {
  count = var.worker_count

  ami                    = data.aws_ami.fcos.image_id
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.public[count.index % 3].id
  vpc_security_group_ids = [aws_security_group.node.id]
  user_data              = jsonencode({ ignition = { version = "3.3.0" } })
  tags                   = { Name = "${var.cluster_name}-worker-${count.index}" }
}

resource "aws_lb" "nlb" {
  name               = "${var.cluster_name}-nlb"
  load_balancer_type = "network"
  internal           = false
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_target_group" "controllers" {
  name        = "${var.cluster_name}-controllers"
  vpc_id      = aws_vpc.network.id
  target_type = "instance"
  protocol    = "TCP"
  port        = 6443

  health_check {
    protocol = "TCP"
    port     = 6443
  }
}

resource "aws_lb_target_group_attachment" "controllers" {
  count = var.controller_count

  target_group_arn = aws_lb_target_group.controllers.arn
  target_id        = aws_instance.controller[count.index].id
  port             = 6443
}

resource "aws_lb_listener" "apiserver" {
  load_balancer_arn = aws_lb.nlb.arn
  protocol          = "TCP"
  port              = 6443

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.controllers.arn
  }
}

resource "aws_route53_record" "apiserver" {
  zone_id = data.aws_route53_zone.cluster.zone_id
  name    = "${var.cluster_name}.${var.dns_zone}"
  type    = "A"

  alias {
    name                   = aws_lb.nlb.dns_name
    zone_id                = aws_lb.nlb.zone_id
    evaluate_target_health = true
  }
}

resource "null_resource" "copy-controller-secrets" {
  count = var.controller_count

  triggers = {
    instance = aws_instance.controller[count.index].id
  }

  connection {
    type    = "ssh"
    host    = aws_instance.controller[count.index].public_ip
    user    = "core"
    timeout = "15m"
  }

  provisioner "file" {
    content     = "secret"
    destination = "/home/core/assets"
  }

  provisioner "remote-exec" {
    inline = ["sudo mv /home/core/assets /opt/bootstrap/assets"]
  }
}
