output "controller_ips" {
  value = aws_instance.controller[*].private_ip
}

output "apiserver_dns" {
  value = aws_route53_record.apiserver.fqdn
}

output "nlb_dns" {
  value = aws_lb.nlb.dns_name
}
