# expect: invalid
resource "aws_launch_template" "launch_template_market_type" {
  name_prefix = "tempest-worker"
  instance_market_options {
    market_type = "ondemand"
  }
}
