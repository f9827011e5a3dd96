# Terraform and provider versions this module is written and tested for.
terraform {
  required_version = ">= 1.3.0, < 2.0.0"

  required_providers {
    external = {
      source  = "hashicorp/external"
      version = ">= 2.2"
    }
    google = {
      source  = "hashicorp/google"
      version = ">= 5.0, < 7.0"
    }
    null = {
      source  = "hashicorp/null"
      version = ">= 2.1"
    }
  }
}
