# expect: invalid
resource "aws_route" "route_no_target" {
  route_table_id         = "rtb-0123456789abcdef0"
  destination_cidr_block = "0.0.0.0/0"
}
