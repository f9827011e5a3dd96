terraform {
  required_providers {
    external = {
      source  = "hashicorp/external"
      version = "~> 2.0"
    }
  }
}

variable "python" {
  type = string
}

data "external" "echo" {
  program = [var.python, "${path.module}/program.py"]

  query = {
    greeting = "hello"
    node     = "controller-0"
  }
}

output "result" {
  value = data.external.echo.result
}
