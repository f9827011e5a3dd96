# expect: invalid
resource "aws_lb_target_group" "target_group_health_protocol" {
  name     = "tempest-controllers"
  vpc_id   = "vpc-0123456789abcdef0"
  protocol = "TCP"
  port     = 6443
  health_check {
    protocol = "UDP"
  }
}
