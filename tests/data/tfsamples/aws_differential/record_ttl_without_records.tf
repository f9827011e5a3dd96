# expect: invalid
resource "aws_route53_record" "record_ttl_without_records" {
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "tempest.example.com"
  type    = "A"
  ttl     = 300
}
