output "kubeconfig-admin" {
  description = "Admin kubeconfig for the cluster"
  value       = module.bootstrap.kubeconfig-admin
  sensitive   = true
}

output "ingress_static_ipv4" {
  description = "IPv4 address of the load balancer for distributing traffic to Ingress controllers"
  value       = azurerm_public_ip.frontend-ipv4.ip_address
}

output "ingress_static_ipv6" {
  description = "IPv6 address of the load balancer for distributing traffic to Ingress controllers"
  value       = azurerm_public_ip.frontend-ipv6.ip_address
}

output "location" {
  description = "Azure location of the cluster (for worker pools)"
  value       = azurerm_resource_group.cluster.location
}

output "resource_group_name" {
  description = "Name of the cluster's resource group (for worker pools)"
  value       = azurerm_resource_group.cluster.name
}

output "resource_group_id" {
  description = "ID of the cluster's resource group"
  value       = azurerm_resource_group.cluster.id
}

output "network_name" {
  description = "Name of the cluster's virtual network"
  value       = azurerm_virtual_network.network.name
}

output "network_id" {
  description = "ID of the cluster's virtual network"
  value       = azurerm_virtual_network.network.id
}

output "subnet_ids" {
  description = "IDs of the controller and worker subnets"
  value       = { controller = azurerm_subnet.controller.id, worker = azurerm_subnet.worker.id }
}

output "subnet_id" {
  description = "ID of the worker subnet (for worker pools)"
  value       = azurerm_subnet.worker.id
}

output "security_group_id" {
  description = "ID of the worker network security group (for worker pools)"
  value       = azurerm_network_security_group.worker.id
}

output "kubeconfig" {
  description = "Kubelet bootstrap kubeconfig for worker pools"
  value       = module.bootstrap.kubeconfig-kubelet
  sensitive   = true
}

output "controller_security_group_name" {
  description = "Name of the controller network security group (for custom rules)"
  value       = azurerm_network_security_group.controller.name
}

output "worker_security_group_name" {
  description = "Name of the worker network security group (for custom rules)"
  value       = azurerm_network_security_group.worker.name
}

output "controller_address_prefixes" {
  description = "Controller subnet address prefixes, as an object with ipv4 and ipv6 lists (for custom rules)"
  value       = local.controller_subnets
}

output "worker_address_prefixes" {
  description = "Worker subnet address prefixes, as an object with ipv4 and ipv6 lists (for custom rules)"
  value       = local.worker_subnets
}

output "loadbalancer_id" {
  description = "ID of the cluster load balancer"
  value       = azurerm_lb.cluster.id
}

output "backend_address_pool_ids" {
  description = "IDs of the worker backend address pools, as an object with ipv4 and ipv6 lists (for worker pools)"
  value       = local.worker_backend_address_pool_ids
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
