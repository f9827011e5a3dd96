# expect: invalid
resource "aws_vpc" "vpc_tenancy" {
  cidr_block       = "10.0.0.0/16"
  instance_tenancy = "host"
}
