# expect: invalid
resource "aws_instance" "instance_user_data_both" {
  ami              = "ami-0123456789abcdef0"
  instance_type    = "t3.small"
  user_data        = "{}"
  user_data_base64 = "e30="
}
