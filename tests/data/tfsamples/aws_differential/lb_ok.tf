# expect: ok
resource "aws_lb" "lb_ok" {
  name                             = "tempest-nlb"
  load_balancer_type               = "network"
  internal                         = false
  ip_address_type                  = "dualstack"
  subnets                          = ["subnet-0123456789abcdef0"]
  enable_cross_zone_load_balancing = true
}
