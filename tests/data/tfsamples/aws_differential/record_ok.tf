# expect: ok
resource "aws_route53_record" "record_ok" {
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "tempest.example.com"
  type    = "A"
  alias {
    name                   = "tempest-nlb-0123456789abcdef.elb.eu-central-1.amazonaws.com"
    zone_id                = "Z3F0SRJ5LGBH90"
    evaluate_target_health = true
  }
}
