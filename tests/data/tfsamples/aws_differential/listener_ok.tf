# expect: ok
resource "aws_lb_listener" "listener_ok" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/tempest-nlb/0123456789abcdef"
  protocol          = "TCP"
  port              = 6443
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/tempest-controllers/0123456789abcdef"
  }
}
