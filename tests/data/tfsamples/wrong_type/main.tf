resource "aws_instance" "node" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  ebs_optimized = ["yes"]
}
