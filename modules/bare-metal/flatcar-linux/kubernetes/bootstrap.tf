# Cluster assets: TLS, kubeconfigs, static pods and addon manifests (kept in Terraform state).
module "bootstrap" {
  source = "../../../bootstrap"

  api_servers  = [var.k8s_domain_name]
  etcd_servers = [for machine in var.controllers : machine.domain]

  cluster_name               = var.cluster_name
  networking                 = var.networking
  pod_cidr                   = var.pod_cidr
  service_cidr               = var.service_cidr
  components                 = var.components
  service_account_issuer     = var.service_account_issuer
  certificate_validity_hours = var.certificate_validity_hours
}
