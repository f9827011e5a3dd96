# expect: ok (the provider leaves the port range to the API)
resource "aws_lb_target_group_attachment" "attachment_port_unchecked" {
  target_group_arn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/tempest-controllers/0123456789abcdef"
  target_id        = "i-0123456789abcdef0"
  port             = 65536
}
