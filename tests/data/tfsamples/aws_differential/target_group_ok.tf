# expect: ok
resource "aws_lb_target_group" "target_group_ok" {
  name        = "tempest-controllers"
  vpc_id      = "vpc-0123456789abcdef0"
  target_type = "instance"
  protocol    = "TCP"
  port        = 6443
  health_check {
    protocol            = "HTTPS"
    port                = 6443
    path                = "/healthz"
    healthy_threshold   = 3
    unhealthy_threshold = 3
    interval            = 10
  }
}
