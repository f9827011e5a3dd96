# expect: invalid
resource "aws_launch_template" "launch_template_name_and_prefix" {
  name        = "tempest-worker"
  name_prefix = "tempest-worker"
}
