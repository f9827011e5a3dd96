# expect: invalid
resource "aws_security_group" "sg_name_and_prefix" {
  name        = "tempest-controller"
  name_prefix = "tempest-"
  vpc_id      = "vpc-0123456789abcdef0"
}
