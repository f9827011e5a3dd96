module "node" {
  source = "../modules/node"

  name  = "controller-0"
  count = 2
}

output "configs" {
  value = module.node[*].config
}
