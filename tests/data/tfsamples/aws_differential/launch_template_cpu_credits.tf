# expect: invalid
resource "aws_launch_template" "launch_template_cpu_credits" {
  name_prefix = "tempest-worker"
  credit_specification {
    cpu_credits = "burst"
  }
}
