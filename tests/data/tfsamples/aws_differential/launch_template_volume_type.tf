# expect: invalid
resource "aws_launch_template" "launch_template_volume_type" {
  name_prefix = "tempest-worker"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type = "ssd"
    }
  }
}
