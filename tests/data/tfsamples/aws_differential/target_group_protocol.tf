# expect: invalid
resource "aws_lb_target_group" "target_group_protocol" {
  name     = "tempest-controllers"
  vpc_id   = "vpc-0123456789abcdef0"
  protocol = "TCPX"
  port     = 6443
}
