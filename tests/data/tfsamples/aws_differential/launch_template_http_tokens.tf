# expect: invalid
resource "aws_launch_template" "launch_template_http_tokens" {
  name_prefix = "tempest-worker"
  metadata_options {
    http_tokens                 = "mandatory"
    http_put_response_hop_limit = 0
  }
}
