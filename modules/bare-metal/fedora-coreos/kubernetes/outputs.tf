output "kubeconfig-admin" {
  description = "Admin kubeconfig for the cluster"
  value       = module.bootstrap.kubeconfig-admin
  sensitive   = true
}

output "kubeconfig" {
  description = "Kubelet bootstrap kubeconfig (for workers added with the worker module)"
  value       = module.bootstrap.kubeconfig-kubelet
  sensitive   = true
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
