# expect: invalid
resource "aws_route" "route_cidr" {
  route_table_id         = "rtb-0123456789abcdef0"
  destination_cidr_block = "0.0.0.0/40"
  gateway_id             = "igw-0123456789abcdef0"
}
