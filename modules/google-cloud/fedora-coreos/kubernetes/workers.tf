# The cluster's default worker pool (more pools can use the same module).
module "workers" {
  source       = "./workers"
  name         = var.cluster_name
  cluster_name = var.cluster_name

  # Google Cloud
  region  = var.region
  network = google_compute_network.network.name

  # image
  os_stream = var.os_stream

  # instances
  worker_count = var.worker_count
  machine_type = var.worker_type
  disk_size    = var.worker_disk_size
  disk_type    = var.worker_disk_type
  preemptible  = var.worker_preemptible

  # configuration
  kubeconfig         = module.bootstrap.kubeconfig-kubelet
  ssh_authorized_key = var.ssh_authorized_key
  service_cidr       = var.service_cidr
  snippets           = var.worker_snippets
  node_labels        = var.worker_node_labels
  cloud_provider     = var.cloud_provider
}
