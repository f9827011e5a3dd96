# expect: invalid
resource "aws_route_table_association" "route_table_association_both" {
  route_table_id = "rtb-0123456789abcdef0"
  subnet_id      = "subnet-0123456789abcdef0"
  gateway_id     = "igw-0123456789abcdef0"
}
