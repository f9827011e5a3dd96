# Butane snippets given in var.controller_snippets are transpiled to Ignition by
# typhoon-tf's external program; Ignition merges them at first boot.
# typhoon-tf must be on PATH wherever Terraform runs (the program says so when
# it is not); snippets in cluster.yaml need nothing at plan time.
# The data source only exists when there are snippets.
data "external" "controller-snippets" {
  count = length(var.controller_snippets) > 0 ? 1 : 0

  program = [
    "sh",
    "-c",
    "command -v typhoon-tf >/dev/null 2>&1 || { echo 'typhoon-tf is not on PATH where Terraform runs. It transpiles Butane snippets given as Terraform variables (controller_snippets, worker_snippets, snippets). Install it there (pip install from the typhoon-tf checkout), or move the snippets into the cluster config (snippets: in cluster.yaml) and run typhoon-tf generate: generate-time snippets need nothing at plan time. See docs/snippets.md.' >&2; exit 127; }; exec typhoon-tf external butane",
  ]
  query = {
    snippets         = jsonencode(var.controller_snippets)
    variant          = "fcos"
    ignition_version = "3.3.0"
  }
}

locals {
  controller_snippets = flatten([for d in data.external.controller-snippets : jsondecode(d.result.data_urls)])

  # Values only known at apply time, one set per controller (index i).
  controller_holes = [
    for i in range(var.controller_count) : {
      cluster_dns_service_ip = module.bootstrap.cluster_dns_service_ip
      etcd_name              = "etcd${i}"
      etcd_domain            = "${var.cluster_name}-etcd${i}.${var.dns_zone}"
      etcd_initial_cluster   = join(",", [for j in range(var.controller_count) : "etcd${j}=https://${var.cluster_name}-etcd${j}.${var.dns_zone}:2380"])
      cloud_provider         = var.cloud_provider == null ? "" : var.cloud_provider
      snippets               = local.controller_snippets
    }
  ]

  controller_user_data = [
    for holes in local.controller_holes :
    jsonencode(jsondecode(templatefile("${path.module}/ignition/controller.ign.tftpl", holes)))
  ]
}

# Butane snippets given in var.worker_snippets are transpiled to Ignition by
# typhoon-tf's external program; Ignition merges them at first boot.
# typhoon-tf must be on PATH wherever Terraform runs (the program says so when
# it is not); snippets in cluster.yaml need nothing at plan time.
# The data source only exists when there are snippets.
data "external" "worker-snippets" {
  count = length(var.worker_snippets) > 0 ? 1 : 0

  program = [
    "sh",
    "-c",
    "command -v typhoon-tf >/dev/null 2>&1 || { echo 'typhoon-tf is not on PATH where Terraform runs. It transpiles Butane snippets given as Terraform variables (controller_snippets, worker_snippets, snippets). Install it there (pip install from the typhoon-tf checkout), or move the snippets into the cluster config (snippets: in cluster.yaml) and run typhoon-tf generate: generate-time snippets need nothing at plan time. See docs/snippets.md.' >&2; exit 127; }; exec typhoon-tf external butane",
  ]
  query = {
    snippets         = jsonencode(var.worker_snippets)
    variant          = "fcos"
    ignition_version = "3.3.0"
  }
}

locals {
  worker_snippets = flatten([for d in data.external.worker-snippets : jsondecode(d.result.data_urls)])

  # Values only known at apply time, filled into the node template.
  worker_holes = {
    cluster_dns_service_ip = module.bootstrap.cluster_dns_service_ip
    node_labels            = var.worker_node_labels
    node_taints            = var.worker_node_taints
    cloud_provider         = var.cloud_provider == null ? "" : var.cloud_provider
    snippets               = local.worker_snippets
  }

  worker_user_data = jsonencode(jsondecode(templatefile("${path.module}/ignition/worker.ign.tftpl", local.worker_holes)))
}
