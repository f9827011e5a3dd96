variable "cluster_name" {
  type = string
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "dns_zone" {
  type = string
}

variable "host_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "controller_count" {
  type    = number
  default = 3
}

variable "worker_count" {
  type    = number
  default = 3
}
