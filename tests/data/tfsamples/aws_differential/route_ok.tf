# expect: ok
resource "aws_route" "route_ok" {
  route_table_id              = "rtb-0123456789abcdef0"
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = "igw-0123456789abcdef0"
}
