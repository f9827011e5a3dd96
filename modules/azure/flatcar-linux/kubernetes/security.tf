# Network security groups, one per subnet. Rules are data: each names its priority,
# protocol, ports and source ("controller", "worker" or "cluster" subnets, "*" for anywhere,
# or the AzureLoadBalancer service tag); every rule is made once per address family, the
# IPv6 copy one priority higher.

locals {
  families = ["ipv4", "ipv6"]

  # Address prefixes of each source, per family; service tags and "*" go in as themselves.
  service_tag_sources = ["*", "AzureLoadBalancer"]
  address_sources = {
    controller        = local.controller_subnets
    worker            = local.worker_subnets
    cluster           = local.cluster_subnets
    "*"               = { ipv4 = [], ipv6 = [] }
    AzureLoadBalancer = { ipv4 = [], ipv6 = [] }
  }

  flannel_or_cilium = var.networking != "calico"
  cilium            = var.networking == "cilium"
  calico            = var.networking == "calico"

  controller_security_rules = {
    icmp               = { enabled = true, priority = 1995, access = "Allow", protocol = "Icmp", ports = "*", source = "cluster" }
    ssh                = { enabled = true, priority = 2000, access = "Allow", protocol = "Tcp", ports = "22", source = "*" }
    etcd               = { enabled = true, priority = 2005, access = "Allow", protocol = "Tcp", ports = "2379-2380", source = "controller" }
    etcd-metrics       = { enabled = true, priority = 2010, access = "Allow", protocol = "Tcp", ports = "2381", source = "worker" }
    kube-proxy         = { enabled = true, priority = 2012, access = "Allow", protocol = "Tcp", ports = "10249", source = "worker" }
    kube-metrics       = { enabled = true, priority = 2014, access = "Allow", protocol = "Tcp", ports = "10257-10259", source = "worker" }
    apiserver          = { enabled = true, priority = 2016, access = "Allow", protocol = "Tcp", ports = "6443", source = "*" }
    cilium-health      = { enabled = local.cilium, priority = 2018, access = "Allow", protocol = "Tcp", ports = "4240", source = "cluster" }
    vxlan              = { enabled = local.flannel_or_cilium, priority = 2020, access = "Allow", protocol = "Udp", ports = "8472", source = "cluster" }
    calico-vxlan       = { enabled = local.calico, priority = 2020, access = "Allow", protocol = "Udp", ports = "4789", source = "cluster" }
    calico-bgp         = { enabled = local.calico, priority = 2022, access = "Allow", protocol = "Tcp", ports = "179", source = "cluster" }
    node-exporter      = { enabled = true, priority = 2025, access = "Allow", protocol = "Tcp", ports = "9100", source = "worker" }
    kubelet            = { enabled = true, priority = 2030, access = "Allow", protocol = "Tcp", ports = "10250", source = "cluster" }
    cilium-metrics     = { enabled = local.cilium, priority = 2035, access = "Allow", protocol = "Tcp", ports = "9962-9965", source = "cluster" }
    allow-loadbalancer = { enabled = true, priority = 3000, access = "Allow", protocol = "*", ports = "*", source = "AzureLoadBalancer" }
    deny-all           = { enabled = true, priority = 3005, access = "Deny", protocol = "*", ports = "*", source = "*" }
  }

  worker_security_rules = {
    icmp               = { enabled = true, priority = 1995, access = "Allow", protocol = "Icmp", ports = "*", source = "cluster" }
    ssh                = { enabled = true, priority = 2000, access = "Allow", protocol = "Tcp", ports = "22", source = "controller" }
    http               = { enabled = true, priority = 2005, access = "Allow", protocol = "Tcp", ports = "80", source = "*" }
    https              = { enabled = true, priority = 2010, access = "Allow", protocol = "Tcp", ports = "443", source = "*" }
    cilium-health      = { enabled = local.cilium, priority = 2012, access = "Allow", protocol = "Tcp", ports = "4240", source = "cluster" }
    cilium-metrics     = { enabled = local.cilium, priority = 2014, access = "Allow", protocol = "Tcp", ports = "9962-9965", source = "cluster" }
    vxlan              = { enabled = local.flannel_or_cilium, priority = 2016, access = "Allow", protocol = "Udp", ports = "8472", source = "cluster" }
    calico-vxlan       = { enabled = local.calico, priority = 2016, access = "Allow", protocol = "Udp", ports = "4789", source = "cluster" }
    calico-bgp         = { enabled = local.calico, priority = 2018, access = "Allow", protocol = "Tcp", ports = "179", source = "cluster" }
    node-exporter      = { enabled = true, priority = 2020, access = "Allow", protocol = "Tcp", ports = "9100", source = "worker" }
    kube-proxy         = { enabled = true, priority = 2024, access = "Allow", protocol = "Tcp", ports = "10249", source = "worker" }
    kubelet            = { enabled = true, priority = 2026, access = "Allow", protocol = "Tcp", ports = "10250", source = "cluster" }
    allow-loadbalancer = { enabled = true, priority = 3000, access = "Allow", protocol = "*", ports = "*", source = "AzureLoadBalancer" }
    deny-all           = { enabled = true, priority = 3005, access = "Deny", protocol = "*", ports = "*", source = "*" }
  }

  # "<rule>-<family>" => rule with its family and final priority.
  controller_rule_instances = merge([
    for name, rule in local.controller_security_rules : {
      for i, family in local.families : "${name}-${family}" => merge(rule, { family = family, priority = rule.priority + i })
    } if rule.enabled
  ]...)
  worker_rule_instances = merge([
    for name, rule in local.worker_security_rules : {
      for i, family in local.families : "${name}-${family}" => merge(rule, { family = family, priority = rule.priority + i })
    } if rule.enabled
  ]...)
}

resource "azurerm_network_security_group" "controller" {
  name                = "${var.cluster_name}-controller"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
}

resource "azurerm_network_security_rule" "controller" {
  for_each = local.controller_rule_instances

  resource_group_name         = azurerm_resource_group.cluster.name
  network_security_group_name = azurerm_network_security_group.controller.name

  name                         = each.key
  priority                     = each.value.priority
  access                       = each.value.access
  direction                    = "Inbound"
  protocol                     = each.value.protocol
  source_port_range            = "*"
  destination_port_range       = each.value.ports
  source_address_prefix        = contains(local.service_tag_sources, each.value.source) ? each.value.source : null
  source_address_prefixes      = contains(local.service_tag_sources, each.value.source) ? null : local.address_sources[each.value.source][each.value.family]
  destination_address_prefixes = local.controller_subnets[each.value.family]
}

resource "azurerm_network_security_group" "worker" {
  name                = "${var.cluster_name}-worker"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
}

resource "azurerm_network_security_rule" "worker" {
  for_each = local.worker_rule_instances

  resource_group_name         = azurerm_resource_group.cluster.name
  network_security_group_name = azurerm_network_security_group.worker.name

  name                         = each.key
  priority                     = each.value.priority
  access                       = each.value.access
  direction                    = "Inbound"
  protocol                     = each.value.protocol
  source_port_range            = "*"
  destination_port_range       = each.value.ports
  source_address_prefix        = contains(local.service_tag_sources, each.value.source) ? each.value.source : null
  source_address_prefixes      = contains(local.service_tag_sources, each.value.source) ? null : local.address_sources[each.value.source][each.value.family]
  destination_address_prefixes = local.worker_subnets[each.value.family]
}
