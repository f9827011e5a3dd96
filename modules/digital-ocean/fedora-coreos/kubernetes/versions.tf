# Terraform and provider versions this module is written and tested for.
terraform {
  required_version = ">= 1.3.0, < 2.0.0"

  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = ">= 2.12, < 3.0"
    }
    external = {
      source  = "hashicorp/external"
      version = ">= 2.2"
    }
    null = {
      source  = "hashicorp/null"
      version = ">= 2.1"
    }
  }
}
