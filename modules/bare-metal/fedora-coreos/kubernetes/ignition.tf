locals {
  # Values only known at apply time, one set per controller (index i).
  controller_holes = [
    for i in range(length(var.controllers)) : {
      ssh_authorized_key     = var.ssh_authorized_key
      cluster_dns_service_ip = module.bootstrap.cluster_dns_service_ip
      etcd_name              = var.controllers[i].name
      etcd_initial_cluster   = join(",", [for m in var.controllers : "${m.name}=https://${m.domain}:2380"])
      domain_name            = var.controllers[i].domain
      snippets               = flatten([for name, d in data.external.controller-snippets : jsondecode(d.result.data_urls) if name == var.controllers[i].name])
    }
  ]

  controller_user_data = [
    for holes in local.controller_holes :
    jsonencode(jsondecode(templatefile("${path.module}/ignition/controller.ign.tftpl", holes)))
  ]
}
