output "kubeconfig-admin" {
  description = "Admin kubeconfig for the cluster"
  value       = module.bootstrap.kubeconfig-admin
  sensitive   = true
}

output "ingress_static_ipv4" {
  description = "Global IPv4 address for proxy load balancing to the nearest Ingress controller"
  value       = google_compute_global_address.ingress-ipv4.address
}

output "ingress_static_ipv6" {
  description = "Global IPv6 address for proxy load balancing to the nearest Ingress controller"
  value       = google_compute_global_address.ingress-ipv6.address
}

output "network_name" {
  description = "Name of the cluster's network (for worker pools and firewall rules)"
  value       = google_compute_network.network.name
}

output "kubeconfig" {
  description = "Kubelet bootstrap kubeconfig for worker pools"
  value       = module.bootstrap.kubeconfig-kubelet
  sensitive   = true
}

output "network_self_link" {
  description = "Self link of the cluster's network"
  value       = google_compute_network.network.self_link
}

output "worker_instance_group" {
  description = "Worker managed instance group full URL (for custom load balancer backends)"
  value       = module.workers.instance_group
}

output "worker_target_pool" {
  description = "Worker target pool self link (for custom network load balancers)"
  value       = module.workers.target_pool
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
