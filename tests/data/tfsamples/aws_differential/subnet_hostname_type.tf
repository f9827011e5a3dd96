# expect: invalid
resource "aws_subnet" "subnet_hostname_type" {
  vpc_id                              = "vpc-0123456789abcdef0"
  cidr_block                          = "10.0.0.0/20"
  private_dns_hostname_type_on_launch = "instance-name"
}
