# expect: invalid
resource "aws_lb_target_group" "target_group_name_chars" {
  name     = "tempest_controllers"
  vpc_id   = "vpc-0123456789abcdef0"
  protocol = "TCP"
  port     = 6443
}
