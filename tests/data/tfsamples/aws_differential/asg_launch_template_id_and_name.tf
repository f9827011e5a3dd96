# expect: invalid
resource "aws_autoscaling_group" "asg_launch_template_id_and_name" {
  name     = "tempest-worker"
  min_size = 1
  max_size = 3
  launch_template {
    id   = "lt-0123456789abcdef0"
    name = "tempest-worker"
  }
}
