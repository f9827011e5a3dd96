# expect: ok
resource "aws_security_group_rule" "sg_rule_self_ok" {
  security_group_id = "sg-0123456789abcdef0"
  type              = "egress"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  self              = true
}
