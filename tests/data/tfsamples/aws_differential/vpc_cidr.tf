# expect: invalid
resource "aws_vpc" "vpc_cidr" {
  cidr_block = "10.0.0.1/16"
}
