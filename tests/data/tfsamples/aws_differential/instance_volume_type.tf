# expect: invalid
resource "aws_instance" "instance_volume_type" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  root_block_device {
    volume_type = "gp9"
  }
}
