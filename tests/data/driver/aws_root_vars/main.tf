variable "ssh_key" {
  type = string
}

variable "zone" {
  type    = string
  default = "aws.example.com"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

module "prod" {
  source = "./modules/aws/flatcar-linux/kubernetes"

  cluster_name       = "prod"
  dns_zone           = var.zone
  dns_zone_id        = "${var.zone_id}"
  ssh_authorized_key = var.ssh_key
}

variable "zone_id" {
  type = string
}
