# A plan that cannot stop quickly: the external program's read is not cancellable, so after
# one interrupt Terraform waits for it; a second interrupt makes Terraform exit at once.
terraform {
  required_providers {
    external = {
      source  = "hashicorp/external"
      version = "~> 2.0"
    }
  }
}

data "external" "slow" {
  program = ["sh", "-c", "touch ${path.module}/read-started; sleep 30; touch ${path.module}/read-finished; echo '{}'"]
}

output "result" {
  value = data.external.slow.result
}
