# expect: invalid
resource "aws_lb" "lb_ip_address_type" {
  name               = "tempest-nlb"
  load_balancer_type = "network"
  ip_address_type    = "ipv6"
  subnets            = ["subnet-0123456789abcdef0"]
}
