# expect: invalid
resource "aws_lb_target_group" "target_group_tcp_matcher" {
  name     = "tempest-controllers"
  vpc_id   = "vpc-0123456789abcdef0"
  protocol = "TCP"
  port     = 6443
  health_check {
    protocol = "TCP"
    matcher  = "200"
  }
}
