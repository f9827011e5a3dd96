# One resource per kind of force-new rule: re-planned with other variable values, the fakes
# must plan replace exactly where the real providers would (fakeprovider/provider_facts.yaml).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.0"
    }
  }
}

variable "firewall_name" {
  type = string
}

variable "firewall_description" {
  type = string
}

variable "rule_port" {
  type = number
}

variable "rule_description" {
  type = string
}

variable "ssh_key" {
  type = string
}

variable "vm_size" {
  type = string
}

variable "user_data" {
  type = string
}

variable "ami" {
  type = string
}

resource "google_compute_firewall" "fw" {
  name        = var.firewall_name
  network     = "default"
  description = var.firewall_description

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "aws_security_group_rule" "rule" {
  type              = "ingress"
  protocol          = "tcp"
  from_port         = var.rule_port
  to_port           = var.rule_port
  security_group_id = "sg-0123456789abcdef0"
  cidr_blocks       = ["0.0.0.0/0"]
  description       = var.rule_description
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                  = "vm"
  resource_group_name   = "rg"
  location              = "westus2"
  size                  = var.vm_size
  admin_username        = "core"
  network_interface_ids = ["nic"]

  admin_ssh_key {
    username   = "core"
    public_key = var.ssh_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "kinvolk"
    offer     = "flatcar-container-linux-free"
    sku       = "stable-gen2"
    version   = "latest"
  }
}

resource "aws_instance" "node" {
  ami           = var.ami
  instance_type = "t3.small"
  user_data     = var.user_data
}

resource "aws_instance" "node_replace_on_change" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.small"
  user_data                   = var.user_data
  user_data_replace_on_change = true
}

resource "digitalocean_droplet" "droplet" {
  name   = "node"
  region = "nyc3"
  size   = var.vm_size == "Standard_B2s" ? "s-1vcpu-1gb" : "s-2vcpu-2gb"
  image  = "fedora-coreos"
}
