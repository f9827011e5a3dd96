# expect: invalid
resource "aws_autoscaling_group" "asg_name_and_prefix" {
  name        = "tempest-worker"
  name_prefix = "tempest-"
  min_size    = 1
  max_size    = 3
  launch_template {
    id = "lt-0123456789abcdef0"
  }
}
