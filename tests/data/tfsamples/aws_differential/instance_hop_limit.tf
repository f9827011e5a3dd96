# expect: invalid
resource "aws_instance" "instance_hop_limit" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  metadata_options {
    http_put_response_hop_limit = 65
  }
}
