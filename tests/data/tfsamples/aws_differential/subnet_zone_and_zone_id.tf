# expect: invalid
resource "aws_subnet" "subnet_zone_and_zone_id" {
  vpc_id               = "vpc-0123456789abcdef0"
  cidr_block           = "10.0.0.0/20"
  availability_zone    = "eu-central-1a"
  availability_zone_id = "euc1-az2"
}
