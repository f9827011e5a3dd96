# expect: ok
resource "aws_autoscaling_group" "asg_ok" {
  name                      = "tempest-worker"
  min_size                  = 1
  max_size                  = 3
  desired_capacity          = 2
  default_cooldown          = 30
  health_check_grace_period = 30
  vpc_zone_identifier       = ["subnet-0123456789abcdef0"]
  wait_for_capacity_timeout = "0"
  launch_template {
    id      = "lt-0123456789abcdef0"
    version = "$Latest"
  }
  instance_refresh {
    strategy = "Rolling"
    preferences {
      instance_warmup        = 120
      min_healthy_percentage = 90
    }
  }
  tag {
    key                 = "Name"
    value               = "tempest-worker"
    propagate_at_launch = true
  }
}
