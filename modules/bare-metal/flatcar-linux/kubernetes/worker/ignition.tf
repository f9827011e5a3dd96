# Butane snippets given in var.snippets are transpiled to Ignition by
# typhoon-tf's external program; Ignition merges them at first boot.
# typhoon-tf must be on PATH wherever Terraform runs (the program says so when
# it is not); snippets in cluster.yaml need nothing at plan time.
# The data source only exists when there are snippets.
data "external" "worker-snippets" {
  count = length(var.snippets) > 0 ? 1 : 0

  program = [
    "sh",
    "-c",
    "command -v typhoon-tf >/dev/null 2>&1 || { echo 'typhoon-tf is not on PATH where Terraform runs. It transpiles Butane snippets given as Terraform variables (controller_snippets, worker_snippets, snippets). Install it there (pip install from the typhoon-tf checkout), or move the snippets into the cluster config (snippets: in cluster.yaml) and run typhoon-tf generate: generate-time snippets need nothing at plan time. See docs/snippets.md.' >&2; exit 127; }; exec typhoon-tf external butane",
  ]
  query = {
    snippets         = jsonencode(var.snippets)
    variant          = "flatcar"
    ignition_version = "3.3.0"
  }
}

locals {
  worker_snippets = flatten([for d in data.external.worker-snippets : jsondecode(d.result.data_urls)])

  # Values only known at apply time, filled into the node template.
  worker_holes = {
    ssh_authorized_key     = var.ssh_authorized_key
    cluster_dns_service_ip = cidrhost(var.service_cidr, 10)
    domain_name            = var.domain
    node_labels            = var.node_labels
    node_taints            = var.node_taints
    snippets               = local.worker_snippets
  }

  worker_user_data = jsonencode(jsondecode(templatefile("${path.module}/ignition/worker.ign.tftpl", local.worker_holes)))
}
