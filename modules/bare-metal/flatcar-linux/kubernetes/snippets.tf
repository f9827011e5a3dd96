# Controller Butane snippets are given per machine (var.snippets, keyed by machine name).
# typhoon-tf's external program (typhoon-tf must be on PATH) transpiles each machine's list
# to Ignition, which merges them at first boot. Only machines with snippets get one.
data "external" "controller-snippets" {
  for_each = {
    for machine in var.controllers : machine.name => lookup(var.snippets, machine.name, [])
    if length(lookup(var.snippets, machine.name, [])) > 0
  }

  program = ["typhoon-tf", "external", "butane"]
  query = {
    snippets         = jsonencode(each.value)
    variant          = "flatcar"
    ignition_version = "3.3.0"
  }
}
