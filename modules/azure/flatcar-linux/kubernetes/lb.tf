# One Standard load balancer with an IPv4 and an IPv6 frontend: the apiserver (6443) on
# controllers, HTTPS (and optionally HTTP) ingress on workers, and outbound SNAT for workers.

resource "azurerm_dns_a_record" "apiserver" {
  resource_group_name = var.dns_zone_group
  zone_name           = var.dns_zone
  name                = var.cluster_name
  ttl                 = 300
  records             = [azurerm_public_ip.frontend-ipv4.ip_address]
}

resource "azurerm_dns_aaaa_record" "apiserver" {
  resource_group_name = var.dns_zone_group
  zone_name           = var.dns_zone
  name                = var.cluster_name
  ttl                 = 300
  records             = [azurerm_public_ip.frontend-ipv6.ip_address]
}

resource "azurerm_public_ip" "frontend-ipv4" {
  name                = "${var.cluster_name}-frontend-ipv4"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
  ip_version          = "IPv4"
  sku                 = "Standard"
  allocation_method   = "Static"
}

resource "azurerm_public_ip" "frontend-ipv6" {
  name                = "${var.cluster_name}-frontend-ipv6"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
  ip_version          = "IPv6"
  sku                 = "Standard"
  allocation_method   = "Static"
}

resource "azurerm_lb" "cluster" {
  name                = var.cluster_name
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
  sku                 = "Standard"

  frontend_ip_configuration {
    name                 = "frontend-ipv4"
    public_ip_address_id = azurerm_public_ip.frontend-ipv4.id
  }

  frontend_ip_configuration {
    name                 = "frontend-ipv6"
    public_ip_address_id = azurerm_public_ip.frontend-ipv6.id
  }
}

locals {
  # Address families the load balancing rules serve.
  lb_families = var.enable_ipv6_load_balancing ? ["ipv4", "ipv6"] : ["ipv4"]

  # role/port rules: "<name>-<family>" => frontend, backend pool, port and probe.
  lb_rules = merge(
    {
      for family in local.lb_families : "apiserver-${family}" => {
        family = family, pool = azurerm_lb_backend_address_pool.controller[family].id, port = 6443, probe = azurerm_lb_probe.apiserver.id
      }
    },
    {
      for family in local.lb_families : "ingress-https-${family}" => {
        family = family, pool = azurerm_lb_backend_address_pool.worker[family].id, port = 443, probe = azurerm_lb_probe.ingress.id
      }
    },
    {
      for family in var.enable_http_load_balancing ? local.lb_families : [] : "ingress-http-${family}" => {
        family = family, pool = azurerm_lb_backend_address_pool.worker[family].id, port = 80, probe = azurerm_lb_probe.ingress.id
      }
    },
  )

  worker_backend_address_pool_ids = {
    ipv4 = [azurerm_lb_backend_address_pool.worker["ipv4"].id]
    ipv6 = [azurerm_lb_backend_address_pool.worker["ipv6"].id]
  }
}

resource "azurerm_lb_rule" "cluster" {
  for_each = local.lb_rules

  name                           = each.key
  loadbalancer_id                = azurerm_lb.cluster.id
  frontend_ip_configuration_name = "frontend-${each.value.family}"
  backend_address_pool_ids       = [each.value.pool]
  protocol                       = "Tcp"
  frontend_port                  = each.value.port
  backend_port                   = each.value.port
  probe_id                       = each.value.probe
  # Outbound traffic goes through the outbound rules (workers) or public IPs (controllers).
  disable_outbound_snat = true
}

resource "azurerm_lb_backend_address_pool" "controller" {
  for_each = toset(["ipv4", "ipv6"])

  name            = "controller-${each.key}"
  loadbalancer_id = azurerm_lb.cluster.id
}

resource "azurerm_lb_backend_address_pool" "worker" {
  for_each = toset(["ipv4", "ipv6"])

  name            = "worker-${each.key}"
  loadbalancer_id = azurerm_lb.cluster.id
}

# The apiserver answers TLS on 6443; a TCP probe knows it listens.
resource "azurerm_lb_probe" "apiserver" {
  name            = "apiserver"
  loadbalancer_id = azurerm_lb.cluster.id
  protocol        = "Tcp"
  port            = 6443

  number_of_probes    = 3
  interval_in_seconds = 5
}

# An Ingress controller on the workers answers /healthz on 10254.
resource "azurerm_lb_probe" "ingress" {
  name            = "ingress"
  loadbalancer_id = azurerm_lb.cluster.id
  protocol        = "Http"
  port            = 10254
  request_path    = "/healthz"

  number_of_probes    = 3
  interval_in_seconds = 5
}

# Workers have no public IPs: they reach the internet through the frontends.
resource "azurerm_lb_outbound_rule" "worker" {
  for_each = toset(["ipv4", "ipv6"])

  name                    = "outbound-${each.key}"
  loadbalancer_id         = azurerm_lb.cluster.id
  protocol                = "All"
  backend_address_pool_id = azurerm_lb_backend_address_pool.worker[each.key].id

  frontend_ip_configuration {
    name = "frontend-${each.key}"
  }
}
