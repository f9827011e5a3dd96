# expect: invalid
resource "aws_security_group" "sg_description_long" {
  name        = "tempest-controller"
  description = format("%0256d", 0)
  vpc_id      = "vpc-0123456789abcdef0"
}
