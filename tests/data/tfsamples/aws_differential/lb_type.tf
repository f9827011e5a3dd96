# expect: invalid
resource "aws_lb" "lb_type" {
  name               = "tempest-nlb"
  load_balancer_type = "classic"
  subnets            = ["subnet-0123456789abcdef0"]
}
