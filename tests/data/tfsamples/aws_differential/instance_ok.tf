# expect: ok
resource "aws_instance" "instance_ok" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = "{}"
  root_block_device {
    volume_type = "gp3"
    volume_size = 30
    iops        = 3000
    encrypted   = true
  }
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
  credit_specification {
    cpu_credits = "unlimited"
  }
}
