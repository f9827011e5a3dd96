# Cluster assets: TLS, kubeconfigs, static pods and addon manifests (kept in Terraform state).
module "bootstrap" {
  source = "../../../bootstrap"

  api_servers = [format("%s.%s", var.cluster_name, var.dns_zone)]

  cluster_name               = var.cluster_name
  networking                 = var.networking
  pod_cidr                   = var.pod_cidr
  service_cidr               = var.service_cidr
  daemonset_tolerations      = var.daemonset_tolerations
  components                 = var.components
  service_account_issuer     = var.service_account_issuer
  cloud_provider             = var.cloud_provider
  certificate_validity_hours = var.certificate_validity_hours

  # Cloud DNS names are fully qualified ("...example.com."); etcd wants them without the dot.
  etcd_servers = [for fqdn in google_dns_record_set.etcds[*].name : trimsuffix(fqdn, ".")]

  # Google's VPC networks carry 1460-byte packets; Calico's MTU leaves room for its header.
  network_mtu = 1460
}
