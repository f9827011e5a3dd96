# expect: invalid (protocol is matched case-sensitively here, unlike the listener)
resource "aws_lb_target_group" "target_group_protocol_case" {
  name     = "tempest-controllers"
  vpc_id   = "vpc-0123456789abcdef0"
  protocol = "tcp"
  port     = 6443
}
