# The cluster's default worker pool (more pools can use the same module).
module "workers" {
  source = "./workers"
  name   = var.cluster_name

  # Azure
  location                 = azurerm_resource_group.cluster.location
  resource_group_name      = azurerm_resource_group.cluster.name
  subnet_id                = azurerm_subnet.worker.id
  security_group_id        = azurerm_network_security_group.worker.id
  backend_address_pool_ids = local.worker_backend_address_pool_ids

  # instances
  os_image                 = var.os_image
  arch                     = var.worker_arch
  worker_count             = var.worker_count
  vm_type                  = var.worker_type
  disk_type                = var.worker_disk_type
  disk_size                = var.worker_disk_size
  ephemeral_disk           = var.worker_ephemeral_disk
  ephemeral_disk_placement = var.worker_ephemeral_disk_placement
  priority                 = var.worker_priority

  # configuration
  kubeconfig           = module.bootstrap.kubeconfig-kubelet
  ssh_authorized_key   = var.ssh_authorized_key
  azure_authorized_key = var.azure_authorized_key
  service_cidr         = var.service_cidr
  snippets             = var.worker_snippets
  node_labels          = var.worker_node_labels
  cloud_provider       = var.cloud_provider
}
