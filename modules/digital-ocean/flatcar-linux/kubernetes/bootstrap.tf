# Cluster assets: TLS, kubeconfigs, static pods and addon manifests (kept in Terraform state).
module "bootstrap" {
  source = "../../../bootstrap"

  api_servers  = [format("%s.%s", var.cluster_name, var.dns_zone)]
  etcd_servers = digitalocean_record.etcds[*].fqdn

  cluster_name               = var.cluster_name
  networking                 = var.networking
  pod_cidr                   = var.pod_cidr
  service_cidr               = var.service_cidr
  components                 = var.components
  service_account_issuer     = var.service_account_issuer
  cloud_provider             = var.cloud_provider
  certificate_validity_hours = var.certificate_validity_hours
}
