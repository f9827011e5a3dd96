# expect: invalid
resource "aws_security_group_rule" "sg_rule_self_and_source" {
  security_group_id        = "sg-0123456789abcdef0"
  type                     = "ingress"
  protocol                 = "tcp"
  from_port                = 22
  to_port                  = 22
  self                     = true
  source_security_group_id = "sg-0fedcba9876543210"
}
