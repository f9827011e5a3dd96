# expect: invalid
resource "aws_autoscaling_group" "asg_refresh_strategy" {
  name     = "tempest-worker"
  min_size = 1
  max_size = 3
  launch_template {
    id = "lt-0123456789abcdef0"
  }
  instance_refresh {
    strategy = "Replace"
  }
}
