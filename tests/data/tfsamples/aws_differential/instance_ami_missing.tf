# expect: invalid
resource "aws_instance" "instance_ami_missing" {
  instance_type = "t3.small"
}
