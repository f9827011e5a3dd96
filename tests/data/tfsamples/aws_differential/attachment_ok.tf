# expect: ok
resource "aws_lb_target_group_attachment" "attachment_ok" {
  target_group_arn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/tempest-controllers/0123456789abcdef"
  target_id        = "i-0123456789abcdef0"
  port             = 6443
}
