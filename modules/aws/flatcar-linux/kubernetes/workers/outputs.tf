output "target_group_http" {
  description = "Target group ARN for HTTP traffic to workers"
  value       = aws_lb_target_group.workers-http.arn
}

output "target_group_https" {
  description = "Target group ARN for HTTPS traffic to workers"
  value       = aws_lb_target_group.workers-https.arn
}
