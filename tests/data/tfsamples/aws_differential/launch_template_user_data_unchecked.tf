# expect: ok (user_data is not checked for base64 before the API)
resource "aws_launch_template" "launch_template_user_data_unchecked" {
  name_prefix = "tempest-worker"
  user_data   = "{not base64}"
}
