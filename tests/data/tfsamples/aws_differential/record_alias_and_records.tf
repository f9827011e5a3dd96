# expect: invalid
resource "aws_route53_record" "record_alias_and_records" {
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "tempest.example.com"
  type    = "A"
  ttl     = 300
  records = ["192.0.2.1"]
  alias {
    name                   = "tempest-nlb.elb.eu-central-1.amazonaws.com"
    zone_id                = "Z3F0SRJ5LGBH90"
    evaluate_target_health = true
  }
}
