# Cluster assets: TLS, kubeconfigs, static pods and addon manifests (kept in Terraform state).
module "bootstrap" {
  source = "../../../bootstrap"

  api_servers  = [format("%s.%s", var.cluster_name, var.dns_zone)]
  etcd_servers = formatlist("%s.%s", azurerm_dns_a_record.etcds[*].name, var.dns_zone)

  cluster_name               = var.cluster_name
  networking                 = var.networking
  pod_cidr                   = var.pod_cidr
  service_cidr               = var.service_cidr
  daemonset_tolerations      = var.daemonset_tolerations
  components                 = var.components
  service_account_issuer     = var.service_account_issuer
  cloud_provider             = var.cloud_provider
  certificate_validity_hours = var.certificate_validity_hours

  # Azure virtual networks drop IP-in-IP packets: Calico must encapsulate in VXLAN.
  network_encapsulation = "vxlan"
}
