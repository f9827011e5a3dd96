terraform {
  required_providers {
    aws          = { source = "hashicorp/aws", version = "~> 5.0" }
    google       = { source = "hashicorp/google", version = ">= 6.0" }
    azurerm      = { source = "hashicorp/azurerm", version = "~> 4.0" }
    digitalocean = { source = "digitalocean/digitalocean", version = "~> 2.0" }
    matchbox     = { source = "poseidon/matchbox", version = "~> 0.5.0" }
  }
}

locals {
  ignition = jsonencode({ ignition = { version = "3.3.0" }, passwd = { users = [{ name = "core" }] } })
}

resource "aws_launch_template" "worker" {
  name_prefix   = "worker"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = base64encode(local.ignition)
}

data "google_compute_image" "fcos" {
  project = "fedora-coreos-cloud"
  family  = "fedora-coreos-stable"
}

resource "google_compute_instance_template" "worker" {
  name_prefix  = "worker-"
  machine_type = "e2-small"

  metadata = {
    user-data = local.ignition
  }

  disk {
    source_image = data.google_compute_image.fcos.self_link
    boot         = true
  }

  network_interface {
    network = "default"
  }
}

resource "azurerm_resource_group" "cluster" {
  name     = "tempest"
  location = "eastus"
}

resource "azurerm_linux_virtual_machine" "controller" {
  name                  = "tempest-controller-0"
  resource_group_name   = azurerm_resource_group.cluster.name
  location              = azurerm_resource_group.cluster.location
  size                  = "Standard_B2s"
  admin_username        = "core"
  network_interface_ids = ["/subscriptions/x/nic/0"]
  custom_data           = base64encode(local.ignition)

  admin_ssh_key {
    username   = "core"
    public_key = "ssh-ed25519 AAAA"
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}

resource "digitalocean_droplet" "worker" {
  name      = "tempest-worker-0"
  image     = "fedora-coreos"
  region    = "nyc3"
  size      = "s-2vcpu-2gb"
  user_data = local.ignition
}

resource "matchbox_profile" "node" {
  name         = "tempest-node1"
  kernel       = "/assets/fedora-coreos/kernel"
  initrd       = ["--name main /assets/fedora-coreos/initramfs.img"]
  args         = ["ignition.config.url=http://matchbox.example.com:8080/ignition?mac=$${mac:hexhyp}"]
  raw_ignition = local.ignition
}

resource "matchbox_group" "node" {
  name    = "tempest-node1"
  profile = matchbox_profile.node.name
  selector = {
    mac = "52:54:00:a1:9c:ae"
  }
}

output "droplet_ip" {
  value = digitalocean_droplet.worker.ipv4_address
}
