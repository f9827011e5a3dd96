output "kubeconfig-admin" {
  description = "Admin kubeconfig for the cluster"
  value       = module.bootstrap.kubeconfig-admin
  sensitive   = true
}

output "controllers_dns" {
  description = "Round-robin DNS name of the controllers (the apiserver)"
  value       = digitalocean_record.controllers[0].fqdn
}

output "workers_dns" {
  description = "Round-robin DNS name of the workers (for Ingress); empty without workers"
  value       = join("", distinct(digitalocean_record.workers-record-a[*].fqdn))
}

output "controllers_ipv4" {
  description = "Public IPv4 addresses of the controllers"
  value       = digitalocean_droplet.controllers[*].ipv4_address
}

output "controllers_ipv6" {
  description = "Public IPv6 addresses of the controllers (empty: droplets have no IPv6)"
  value       = digitalocean_droplet.controllers[*].ipv6_address
}

output "workers_ipv4" {
  description = "Public IPv4 addresses of the workers"
  value       = digitalocean_droplet.workers[*].ipv4_address
}

output "workers_ipv6" {
  description = "Public IPv6 addresses of the workers (empty: droplets have no IPv6)"
  value       = digitalocean_droplet.workers[*].ipv6_address
}

output "kubeconfig" {
  description = "Kubelet bootstrap kubeconfig (for extra workers)"
  value       = module.bootstrap.kubeconfig-kubelet
  sensitive   = true
}

output "controller_tag" {
  description = "Tag applied to controller droplets (for firewall rules and load balancers)"
  value       = digitalocean_tag.controllers.name
}

output "worker_tag" {
  description = "Tag applied to worker droplets (for firewall rules and load balancers)"
  value       = digitalocean_tag.workers.name
}

output "vpc_id" {
  description = "ID of the cluster VPC"
  value       = digitalocean_vpc.network.id
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
