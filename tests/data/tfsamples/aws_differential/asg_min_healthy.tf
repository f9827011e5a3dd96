# expect: invalid
resource "aws_autoscaling_group" "asg_min_healthy" {
  name     = "tempest-worker"
  min_size = 1
  max_size = 3
  launch_template {
    id = "lt-0123456789abcdef0"
  }
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 120
    }
  }
}
