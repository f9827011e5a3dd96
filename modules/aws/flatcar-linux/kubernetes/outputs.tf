output "kubeconfig-admin" {
  description = "Admin kubeconfig for the cluster"
  value       = module.bootstrap.kubeconfig-admin
  sensitive   = true
}

output "ingress_dns_name" {
  description = "DNS name of the network load balancer for distributing traffic to Ingress controllers"
  value       = aws_lb.nlb.dns_name
}

output "ingress_zone_id" {
  description = "Route53 zone id of the network load balancer DNS name (for alias records)"
  value       = aws_lb.nlb.zone_id
}

output "vpc_id" {
  description = "ID of the VPC for creating worker instances"
  value       = aws_vpc.network.id
}

output "subnet_ids" {
  description = "List of subnet IDs for creating worker instances"
  value       = aws_subnet.public[*].id
}

output "worker_security_groups" {
  description = "List of worker security group IDs"
  value       = [aws_security_group.worker.id]
}

output "kubeconfig" {
  description = "Kubelet bootstrap kubeconfig for worker pools"
  value       = module.bootstrap.kubeconfig-kubelet
  sensitive   = true
}

output "nlb_id" {
  description = "ARN of the Network Load Balancer"
  value       = aws_lb.nlb.id
}

output "worker_target_group_http" {
  description = "Target group ARN for HTTP traffic to workers"
  value       = module.workers.target_group_http
}

output "worker_target_group_https" {
  description = "Target group ARN for HTTPS traffic to workers"
  value       = module.workers.target_group_https
}

output "assets_dist" {
  description = "Bootstrap assets (TLS, kubeconfigs, manifests) keyed by path, as delivered to controllers"
  value       = module.bootstrap.assets_dist
  sensitive   = true
}

output "service_account_public_key" {
  description = "Public key used to verify service account tokens"
  value       = module.bootstrap.service_account_public_key
}
