# The cluster's default worker pool (more pools can use the same module).
module "workers" {
  source = "./workers"
  name   = var.cluster_name

  # AWS
  vpc_id          = aws_vpc.network.id
  subnet_ids      = aws_subnet.public[*].id
  security_groups = [aws_security_group.worker.id]

  # image
  os_image = var.os_image
  image_id = var.worker_image_id

  # instances
  worker_count                  = var.worker_count
  instance_type                 = var.worker_type
  arch                          = var.worker_arch
  associate_public_ipv4_address = var.worker_public_ipv4
  disk_type                     = var.worker_disk_type
  disk_size                     = var.worker_disk_size
  disk_iops                     = var.worker_disk_iops
  cpu_credits                   = var.worker_cpu_credits
  spot_price                    = var.worker_price
  target_groups                 = var.worker_target_groups

  # configuration
  kubeconfig         = module.bootstrap.kubeconfig-kubelet
  ssh_authorized_key = var.ssh_authorized_key
  service_cidr       = var.service_cidr
  snippets           = var.worker_snippets
  node_labels        = var.worker_node_labels
  cloud_provider     = var.cloud_provider
}
