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

# Load balancing rules: the apiserver on controllers, HTTPS (and optionally HTTP) ingress on
# workers, per address family. Outbound traffic goes through the outbound rules (workers) or
# the controllers' public IPs, never these rules.
resource "azurerm_lb_rule" "apiserver-ipv4" {
  name                           = "apiserver-ipv4"
  loadbalancer_id                = azurerm_lb.cluster.id
  frontend_ip_configuration_name = "frontend-ipv4"
  disable_outbound_snat          = true

  protocol                 = "Tcp"
  frontend_port            = 6443
  backend_port             = 6443
  backend_address_pool_ids = [azurerm_lb_backend_address_pool.controller-ipv4.id]
  probe_id                 = azurerm_lb_probe.apiserver.id
}

resource "azurerm_lb_rule" "apiserver-ipv6" {
  count = var.enable_ipv6_load_balancing ? 1 : 0

  name                           = "apiserver-ipv6"
  loadbalancer_id                = azurerm_lb.cluster.id
  frontend_ip_configuration_name = "frontend-ipv6"
  disable_outbound_snat          = true

  protocol                 = "Tcp"
  frontend_port            = 6443
  backend_port             = 6443
  backend_address_pool_ids = [azurerm_lb_backend_address_pool.controller-ipv6.id]
  probe_id                 = azurerm_lb_probe.apiserver.id
}

resource "azurerm_lb_rule" "ingress-http-ipv4" {
  count = var.enable_http_load_balancing ? 1 : 0

  name                           = "ingress-http-ipv4"
  loadbalancer_id                = azurerm_lb.cluster.id
  frontend_ip_configuration_name = "frontend-ipv4"
  disable_outbound_snat          = true

  protocol                 = "Tcp"
  frontend_port            = 80
  backend_port             = 80
  backend_address_pool_ids = [azurerm_lb_backend_address_pool.worker-ipv4.id]
  probe_id                 = azurerm_lb_probe.ingress.id
}

resource "azurerm_lb_rule" "ingress-https-ipv4" {
  name                           = "ingress-https-ipv4"
  loadbalancer_id                = azurerm_lb.cluster.id
  frontend_ip_configuration_name = "frontend-ipv4"
  disable_outbound_snat          = true

  protocol                 = "Tcp"
  frontend_port            = 443
  backend_port             = 443
  backend_address_pool_ids = [azurerm_lb_backend_address_pool.worker-ipv4.id]
  probe_id                 = azurerm_lb_probe.ingress.id
}

resource "azurerm_lb_rule" "ingress-http-ipv6" {
  count = var.enable_http_load_balancing && var.enable_ipv6_load_balancing ? 1 : 0

  name                           = "ingress-http-ipv6"
  loadbalancer_id                = azurerm_lb.cluster.id
  frontend_ip_configuration_name = "frontend-ipv6"
  disable_outbound_snat          = true

  protocol                 = "Tcp"
  frontend_port            = 80
  backend_port             = 80
  backend_address_pool_ids = [azurerm_lb_backend_address_pool.worker-ipv6.id]
  probe_id                 = azurerm_lb_probe.ingress.id
}

resource "azurerm_lb_rule" "ingress-https-ipv6" {
  count = var.enable_ipv6_load_balancing ? 1 : 0

  name                           = "ingress-https-ipv6"
  loadbalancer_id                = azurerm_lb.cluster.id
  frontend_ip_configuration_name = "frontend-ipv6"
  disable_outbound_snat          = true

  protocol                 = "Tcp"
  frontend_port            = 443
  backend_port             = 443
  backend_address_pool_ids = [azurerm_lb_backend_address_pool.worker-ipv6.id]
  probe_id                 = azurerm_lb_probe.ingress.id
}

# Backend address pools per role and family.
resource "azurerm_lb_backend_address_pool" "controller-ipv4" {
  name            = "controller-ipv4"
  loadbalancer_id = azurerm_lb.cluster.id
}

resource "azurerm_lb_backend_address_pool" "controller-ipv6" {
  name            = "controller-ipv6"
  loadbalancer_id = azurerm_lb.cluster.id
}

resource "azurerm_lb_backend_address_pool" "worker-ipv4" {
  name            = "worker-ipv4"
  loadbalancer_id = azurerm_lb.cluster.id
}

resource "azurerm_lb_backend_address_pool" "worker-ipv6" {
  name            = "worker-ipv6"
  loadbalancer_id = azurerm_lb.cluster.id
}

locals {
  # Worker pools join these (the `backend_address_pool_ids` output).
  worker_backend_address_pool_ids = {
    ipv4 = [azurerm_lb_backend_address_pool.worker-ipv4.id]
    ipv6 = [azurerm_lb_backend_address_pool.worker-ipv6.id]
  }
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
resource "azurerm_lb_outbound_rule" "outbound-ipv4" {
  name                    = "outbound-ipv4"
  loadbalancer_id         = azurerm_lb.cluster.id
  protocol                = "All"
  backend_address_pool_id = azurerm_lb_backend_address_pool.worker-ipv4.id

  frontend_ip_configuration {
    name = "frontend-ipv4"
  }
}

resource "azurerm_lb_outbound_rule" "outbound-ipv6" {
  name                    = "outbound-ipv6"
  loadbalancer_id         = azurerm_lb.cluster.id
  protocol                = "All"
  backend_address_pool_id = azurerm_lb_backend_address_pool.worker-ipv6.id

  frontend_ip_configuration {
    name = "frontend-ipv6"
  }
}
