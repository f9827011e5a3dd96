# expect: ok
resource "aws_lb" "lb_network_security_groups_ok" {
  name               = "tempest-nlb2"
  load_balancer_type = "network"
  subnets            = ["subnet-0123456789abcdef0"]
  security_groups    = ["sg-0123456789abcdef0"]
}
