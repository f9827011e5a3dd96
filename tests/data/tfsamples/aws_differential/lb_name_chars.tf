# expect: invalid
resource "aws_lb" "lb_name_chars" {
  name               = "tempest_nlb"
  load_balancer_type = "network"
  subnets            = ["subnet-0123456789abcdef0"]
}
