terraform {
  required_providers {
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.0"
    }
  }
}

variable "cluster_name" {
  type = string
}

variable "api_server" {
  type = string
}

resource "tls_private_key" "ca" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.ca.private_key_pem
  validity_period_hours = 8760
  is_ca_certificate     = true
  allowed_uses          = ["key_encipherment", "digital_signature", "cert_signing"]

  subject {
    common_name  = "kubernetes-ca"
    organization = "typhoon"
  }
}

resource "tls_private_key" "admin" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "admin" {
  private_key_pem = tls_private_key.admin.private_key_pem

  subject {
    common_name  = "kubernetes-admin"
    organization = "system:masters"
  }
}

resource "tls_locally_signed_cert" "admin" {
  cert_request_pem      = tls_cert_request.admin.cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 8760
  allowed_uses          = ["key_encipherment", "digital_signature", "client_auth"]
}

resource "random_password" "bootstrap_token" {
  length  = 32
  special = false
}

resource "random_id" "suffix" {
  byte_length = 4
}

output "kubeconfig" {
  sensitive = true
  value = templatefile("${path.module}/kubeconfig.tpl", {
    name         = var.cluster_name
    server       = var.api_server
    ca_cert      = base64encode(tls_self_signed_cert.ca.cert_pem)
    client_cert  = base64encode(tls_locally_signed_cert.admin.cert_pem)
    client_key   = base64encode(tls_private_key.admin.private_key_pem)
    token        = random_password.bootstrap_token.result
    context_name = "${var.cluster_name}-${random_id.suffix.hex}"
  })
}

output "token_length" {
  sensitive = true
  value     = length(random_password.bootstrap_token.result)
}
