# Controller Butane snippets are given per machine (var.snippets, keyed by machine name).
# typhoon-tf's external program transpiles each machine's list to Ignition, which merges
# them at first boot. Only machines with snippets get one. typhoon-tf must be on PATH
# wherever Terraform runs (the program says so when it is not); snippets in cluster.yaml
# need nothing at plan time.
data "external" "controller-snippets" {
  for_each = {
    for machine in var.controllers : machine.name => lookup(var.snippets, machine.name, [])
    if length(lookup(var.snippets, machine.name, [])) > 0
  }

  program = [
    "sh",
    "-c",
    "command -v typhoon-tf >/dev/null 2>&1 || { echo 'typhoon-tf is not on PATH where Terraform runs. It transpiles Butane snippets given as Terraform variables (controller_snippets, worker_snippets, snippets). Install it there (pip install from the typhoon-tf checkout), or move the snippets into the cluster config (snippets: in cluster.yaml) and run typhoon-tf generate: generate-time snippets need nothing at plan time. See docs/snippets.md.' >&2; exit 127; }; exec typhoon-tf external butane",
  ]
  query = {
    snippets         = jsonencode(each.value)
    variant          = "fcos"
    ignition_version = "3.3.0"
  }
}
