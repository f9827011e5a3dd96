# expect: invalid
resource "aws_instance" "instance_http_endpoint" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  metadata_options {
    http_endpoint = "on"
  }
}
