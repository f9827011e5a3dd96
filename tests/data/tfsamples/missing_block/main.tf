resource "aws_lb_listener" "apiserver" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/1"
  port              = 6443
  protocol          = "TCP"
}
