# expect: invalid
resource "aws_lb_target_group" "target_group_name_51" {
  name     = "tempest-controllers-with-a-name-that-is-51-chars-xx"
  vpc_id   = "vpc-0123456789abcdef0"
  protocol = "TCP"
  port     = 6443
}
