# expect: ok (to_port is not range-checked before the API)
resource "aws_security_group_rule" "sg_rule_port_unchecked" {
  security_group_id = "sg-0123456789abcdef0"
  type              = "ingress"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 70000
  cidr_blocks       = ["0.0.0.0/0"]
}
