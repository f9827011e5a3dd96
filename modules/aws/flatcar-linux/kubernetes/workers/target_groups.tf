# Target groups for Ingress traffic; an Ingress controller on the workers answers /healthz
# on 10254.
resource "aws_lb_target_group" "workers-http" {
  name        = "${var.name}-workers-http"
  vpc_id      = var.vpc_id
  target_type = "instance"

  protocol = "TCP"
  port     = 80

  health_check {
    protocol = "HTTP"
    port     = 10254
    path     = "/healthz"

    healthy_threshold   = 3
    unhealthy_threshold = 3
    interval            = 10
  }
}

resource "aws_lb_target_group" "workers-https" {
  name        = "${var.name}-workers-https"
  vpc_id      = var.vpc_id
  target_type = "instance"

  protocol = "TCP"
  port     = 443

  health_check {
    protocol = "HTTP"
    port     = 10254
    path     = "/healthz"

    healthy_threshold   = 3
    unhealthy_threshold = 3
    interval            = 10
  }
}
