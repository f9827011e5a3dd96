variable "python" {
  type = string
}

data "external" "broken" {
  program = [var.python, "${path.module}/program.py"]

  query = {
    greeting = "hello"
    node     = "controller-0"
    fail     = "snippet is not valid Butane"
  }
}

output "result" {
  value = data.external.broken.result
}
