# expect: invalid
resource "aws_security_group_rule" "sg_rule_cidr" {
  security_group_id = "sg-0123456789abcdef0"
  type              = "ingress"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["10.0.0.0/33"]
}
