# One worker submodule per machine in var.workers (the same module adds machines later).
module "workers" {
  count  = length(var.workers)
  source = "./worker"

  cluster_name = var.cluster_name

  # Matchbox and the operating system
  matchbox_http_endpoint = var.matchbox_http_endpoint
  os_version             = var.os_version
  os_channel             = var.os_channel
  download_protocol      = var.download_protocol
  oem_type               = var.oem_type
  cached_install         = var.cached_install
  install_disk           = var.install_disk
  kernel_args            = var.kernel_args

  # machine
  name   = var.workers[count.index].name
  mac    = var.workers[count.index].mac
  domain = var.workers[count.index].domain

  # configuration
  kubeconfig         = module.bootstrap.kubeconfig-kubelet
  ssh_authorized_key = var.ssh_authorized_key
  service_cidr       = var.service_cidr
  snippets           = lookup(var.snippets, var.workers[count.index].name, [])
  node_labels        = lookup(var.worker_node_labels, var.workers[count.index].name, [])
  node_taints        = lookup(var.worker_node_taints, var.workers[count.index].name, [])
}
