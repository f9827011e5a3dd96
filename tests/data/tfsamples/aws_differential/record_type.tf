# expect: invalid
resource "aws_route53_record" "record_type" {
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "tempest.example.com"
  type    = "AA"
  ttl     = 300
  records = ["192.0.2.1"]
}
