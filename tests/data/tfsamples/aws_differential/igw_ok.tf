# expect: ok
resource "aws_internet_gateway" "igw_ok" {
  vpc_id = "vpc-0123456789abcdef0"
}
resource "aws_route_table" "igw_ok" {
  vpc_id = "vpc-0123456789abcdef0"
}
resource "aws_route_table_association" "igw_ok" {
  route_table_id = aws_route_table.igw_ok.id
  subnet_id      = "subnet-0123456789abcdef0"
}
