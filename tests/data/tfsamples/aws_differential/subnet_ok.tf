# expect: ok
resource "aws_subnet" "subnet_ok" {
  vpc_id                                         = "vpc-0123456789abcdef0"
  availability_zone                              = "eu-central-1a"
  cidr_block                                     = "10.0.0.0/20"
  ipv6_cidr_block                                = "2001:db8::/64"
  map_public_ip_on_launch                        = true
  assign_ipv6_address_on_creation                = true
  private_dns_hostname_type_on_launch            = "resource-name"
  enable_resource_name_dns_a_record_on_launch    = true
  enable_resource_name_dns_aaaa_record_on_launch = true
}
