# Workers: an autoscaling group of identical instances from one launch template.
resource "aws_autoscaling_group" "workers" {
  name = "${var.name}-worker"

  # count
  desired_capacity          = var.worker_count
  min_size                  = var.worker_count
  max_size                  = var.worker_count + 2
  default_cooldown          = 30
  health_check_grace_period = 30

  # network
  vpc_zone_identifier = var.subnet_ids

  # template
  launch_template {
    id      = aws_launch_template.worker.id
    version = aws_launch_template.worker.latest_version
  }

  # target groups to which instances should be added
  target_group_arns = flatten([
    aws_lb_target_group.workers-http.id,
    aws_lb_target_group.workers-https.id,
    var.target_groups,
  ])

  # A new launch template version (node config, instance type, disk) rolls through the
  # pool, keeping 90% of workers serving.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      instance_warmup        = 120
      min_healthy_percentage = 90
    }
  }

  # Don't wait for instances to become healthy: the cluster bootstrap handles readiness.
  wait_for_capacity_timeout = "0"

  lifecycle {
    create_before_destroy = true
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-worker"
    propagate_at_launch = true
  }
}

resource "aws_launch_template" "worker" {
  name_prefix   = "${var.name}-worker"
  image_id      = local.worker_ami
  instance_type = var.instance_type
  ebs_optimized = true

  # The node config holds the kubelet's bootstrap credentials: keep it out of plan output.
  user_data = sensitive(base64encode(local.worker_user_data))

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = var.disk_type
      volume_size           = var.disk_size
      iops                  = var.disk_iops == 0 ? null : var.disk_iops
      encrypted             = true
      delete_on_termination = true
    }
  }

  network_interfaces {
    associate_public_ip_address = var.associate_public_ipv4_address
    security_groups             = var.security_groups
  }

  # Require IMDSv2 session tokens (the metadata agents on both OSes use them).
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  monitoring {
    enabled = false
  }

  dynamic "instance_market_options" {
    for_each = var.spot_price > 0 ? [var.spot_price] : []
    content {
      market_type = "spot"
      spot_options {
        max_price = instance_market_options.value
      }
    }
  }

  # Always present (null keeps the AWS default), as Typhoon has it.
  credit_specification {
    cpu_credits = var.cpu_credits
  }

  # An OS update comes from the OS itself; a new AMI must not roll the pool.
  lifecycle {
    create_before_destroy = true
    ignore_changes        = [image_id]
  }
}
