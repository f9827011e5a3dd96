terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = ">= 3.0"
    }
  }
}

resource "null_resource" "marker" {
  triggers = {
    purpose = "needs null >= 3.0, which only the fake serves"
  }
}

output "id" {
  value = null_resource.marker.id
}
