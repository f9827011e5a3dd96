# Network: a dual-stack virtual network in the cluster's resource group, split in a
# controller and a worker subnet (first and second half of each range).

resource "azurerm_resource_group" "cluster" {
  name     = var.cluster_name
  location = var.location
}

# A unique local IPv6 /48, used when network_cidr gives no IPv6 range, stable across runs.
# (Made either way, as Typhoon does: the value stays in state if IPv6 ranges come later.)
resource "random_id" "ula-netnum" {
  byte_length = 5 # 40 bits
}

locals {
  # fd00::/8 has 2^40 /48 subnets: pick one.
  ula_range = cidrsubnet("fd00::/8", 40, random_id.ula-netnum.dec)
  network_cidr = {
    ipv4 = var.network_cidr.ipv4
    ipv6 = length(try(var.network_cidr.ipv6, [])) > 0 ? var.network_cidr.ipv6 : [local.ula_range]
  }

  controller_subnets = {
    ipv4 = [for cidr in local.network_cidr.ipv4 : cidrsubnet(cidr, 1, 0)]
    ipv6 = [for cidr in local.network_cidr.ipv6 : cidrsubnet(cidr, 16, 0)]
  }
  worker_subnets = {
    ipv4 = [for cidr in local.network_cidr.ipv4 : cidrsubnet(cidr, 1, 1)]
    ipv6 = [for cidr in local.network_cidr.ipv6 : cidrsubnet(cidr, 16, 1)]
  }
  cluster_subnets = {
    ipv4 = concat(local.controller_subnets.ipv4, local.worker_subnets.ipv4)
    ipv6 = concat(local.controller_subnets.ipv6, local.worker_subnets.ipv6)
  }
}

resource "azurerm_virtual_network" "network" {
  name                = var.cluster_name
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
  address_space       = concat(local.network_cidr.ipv4, local.network_cidr.ipv6)
}

# Nodes reach the internet through their public IPs (controllers) or the load balancer's
# outbound rules (workers), never Azure's implicit default outbound access.
resource "azurerm_subnet" "controller" {
  name                            = "controller"
  resource_group_name             = azurerm_resource_group.cluster.name
  virtual_network_name            = azurerm_virtual_network.network.name
  address_prefixes                = concat(local.controller_subnets.ipv4, local.controller_subnets.ipv6)
  default_outbound_access_enabled = false
}

resource "azurerm_subnet_network_security_group_association" "controller" {
  subnet_id                 = azurerm_subnet.controller.id
  network_security_group_id = azurerm_network_security_group.controller.id
}

resource "azurerm_subnet" "worker" {
  name                            = "worker"
  resource_group_name             = azurerm_resource_group.cluster.name
  virtual_network_name            = azurerm_virtual_network.network.name
  address_prefixes                = concat(local.worker_subnets.ipv4, local.worker_subnets.ipv6)
  default_outbound_access_enabled = false
}

resource "azurerm_subnet_network_security_group_association" "worker" {
  subnet_id                 = azurerm_subnet.worker.id
  network_security_group_id = azurerm_network_security_group.worker.id
}
