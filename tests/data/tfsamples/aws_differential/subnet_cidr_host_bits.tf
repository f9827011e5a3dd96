# expect: invalid
resource "aws_subnet" "subnet_cidr_host_bits" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "10.0.1.0/20"
}
