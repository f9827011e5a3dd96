# expect: invalid
resource "aws_instance" "instance_cpu_credits" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  credit_specification {
    cpu_credits = "burst"
  }
}
