# expect: invalid
resource "aws_route" "route_ipv6_cidr" {
  route_table_id              = "rtb-0123456789abcdef0"
  destination_ipv6_cidr_block = "10.0.0.0/8"
  gateway_id                  = "igw-0123456789abcdef0"
}
