# expect: ok
resource "aws_security_group" "sg_ok" {
  name        = "tempest-controller"
  description = "tempest controller security group"
  vpc_id      = "vpc-0123456789abcdef0"
  tags        = { Name = "tempest-controller" }
}
