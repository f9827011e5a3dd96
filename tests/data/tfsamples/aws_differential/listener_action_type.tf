# expect: invalid
resource "aws_lb_listener" "listener_action_type" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/tempest-nlb/0123456789abcdef"
  protocol          = "TCP"
  port              = 80
  default_action {
    type             = "forward-all"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/tempest-controllers/0123456789abcdef"
  }
}
