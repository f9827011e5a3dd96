# expect: invalid
resource "aws_instance" "instance_user_data_too_long" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = format("%016385d", 0)
}
