# expect: ok (protocol names are checked by the API)
resource "aws_security_group_rule" "sg_rule_protocol_unchecked" {
  security_group_id = "sg-0123456789abcdef0"
  type              = "ingress"
  protocol          = "tcpx"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}
