# expect: invalid
resource "aws_autoscaling_group" "asg_no_launch_source" {
  name     = "tempest-worker"
  min_size = 1
  max_size = 3
}
