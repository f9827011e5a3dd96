# expect: ok
resource "aws_launch_template" "launch_template_ok" {
  name_prefix   = "tempest-worker"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = base64encode("{}")
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = 30
      delete_on_termination = true
      encrypted             = true
    }
  }
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
  instance_market_options {
    market_type = "spot"
    spot_options {
      max_price = "0.05"
    }
  }
  monitoring {
    enabled = false
  }
}
