# expect: invalid
resource "aws_instance" "instance_tenancy" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  tenancy       = "shared"
}
