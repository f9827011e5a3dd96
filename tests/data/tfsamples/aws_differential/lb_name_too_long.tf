# expect: invalid
resource "aws_lb" "lb_name_too_long" {
  name               = "tempest-a-very-long-load-balancer-name"
  load_balancer_type = "network"
  subnets            = ["subnet-0123456789abcdef0"]
}
