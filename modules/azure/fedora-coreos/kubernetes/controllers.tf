# Controllers: etcd members and the Kubernetes control plane, one VM per controller with
# public IPv4/IPv6 addresses (Terraform reaches them over SSH).

# Each controller's etcd peer name, e.g. tempest-etcd0.azure.example.com -> private IP.
resource "azurerm_dns_a_record" "etcds" {
  count = var.controller_count

  resource_group_name = var.dns_zone_group
  zone_name           = var.dns_zone
  name                = format("%s-etcd%d", var.cluster_name, count.index)
  ttl                 = 300
  records             = [azurerm_network_interface.controllers[count.index].private_ip_address]
}

# Spread controllers over fault and update domains.
resource "azurerm_availability_set" "controllers" {
  name                         = "${var.cluster_name}-controllers"
  resource_group_name          = azurerm_resource_group.cluster.name
  location                     = azurerm_resource_group.cluster.location
  platform_fault_domain_count  = 2
  platform_update_domain_count = 4
  managed                      = true
}

resource "azurerm_public_ip" "controllers-ipv4" {
  count = var.controller_count

  name                = "${var.cluster_name}-controller-${count.index}-ipv4"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
  ip_version          = "IPv4"
  sku                 = "Standard"
  allocation_method   = "Static"
}

resource "azurerm_public_ip" "controllers-ipv6" {
  count = var.controller_count

  name                = "${var.cluster_name}-controller-${count.index}-ipv6"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
  ip_version          = "IPv6"
  sku                 = "Standard"
  allocation_method   = "Static"
}

resource "azurerm_network_interface" "controllers" {
  count = var.controller_count

  name                = "${var.cluster_name}-controller-${count.index}"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location

  ip_configuration {
    name                          = "ipv4"
    primary                       = true
    subnet_id                     = azurerm_subnet.controller.id
    private_ip_address_allocation = "Dynamic"
    private_ip_address_version    = "IPv4"
    public_ip_address_id          = azurerm_public_ip.controllers-ipv4[count.index].id
  }

  ip_configuration {
    name                          = "ipv6"
    subnet_id                     = azurerm_subnet.controller.id
    private_ip_address_allocation = "Dynamic"
    private_ip_address_version    = "IPv6"
    public_ip_address_id          = azurerm_public_ip.controllers-ipv6[count.index].id
  }
}

# Controller NICs also carry the controller security group (as well as their subnet).
resource "azurerm_network_interface_security_group_association" "controllers" {
  count = var.controller_count

  network_interface_id      = azurerm_network_interface.controllers[count.index].id
  network_security_group_id = azurerm_network_security_group.controller.id
}

resource "azurerm_network_interface_backend_address_pool_association" "controllers-ipv4" {
  count = var.controller_count

  network_interface_id    = azurerm_network_interface.controllers[count.index].id
  ip_configuration_name   = "ipv4"
  backend_address_pool_id = azurerm_lb_backend_address_pool.controller-ipv4.id
}

resource "azurerm_network_interface_backend_address_pool_association" "controllers-ipv6" {
  count = var.controller_count

  network_interface_id    = azurerm_network_interface.controllers[count.index].id
  ip_configuration_name   = "ipv6"
  backend_address_pool_id = azurerm_lb_backend_address_pool.controller-ipv6.id
}

resource "azurerm_linux_virtual_machine" "controllers" {
  count = var.controller_count

  name                = "${var.cluster_name}-controller-${count.index}"
  resource_group_name = azurerm_resource_group.cluster.name
  location            = azurerm_resource_group.cluster.location
  availability_set_id = azurerm_availability_set.controllers.id
  size                = var.controller_type

  custom_data = base64encode(local.controller_user_data[count.index])

  os_disk {
    name                 = "${var.cluster_name}-controller-${count.index}"
    caching              = "None"
    disk_size_gb         = var.controller_disk_size
    storage_account_type = var.controller_disk_type
  }

  source_image_id = local.controller_image_id
  dynamic "source_image_reference" {
    for_each = local.controller_marketplace_image
    content {
      publisher = source_image_reference.value.publisher
      offer     = source_image_reference.value.offer
      sku       = source_image_reference.value.sku
      version   = "latest"
    }
  }
  dynamic "plan" {
    for_each = local.controller_marketplace_plan
    content {
      publisher = plan.value.publisher
      product   = plan.value.product
      name      = plan.value.name
    }
  }

  network_interface_ids = [azurerm_network_interface.controllers[count.index].id]

  # Azure requires an admin key; the node's real SSH key comes from Ignition.
  admin_username = "core"
  admin_ssh_key {
    username   = "core"
    public_key = local.azure_authorized_key
  }

  provision_vm_agent         = local.vm_agent
  allow_extension_operations = local.vm_agent

  # Serial console and boot screenshots, kept in a managed storage account.
  boot_diagnostics {}

  # Controllers are etcd members: nothing may replace them in place. A new node config or
  # disk setting applies to new controllers only; the VM agent settings are fixed at creation
  # (a Typhoon controller keeps Azure's default, the agent on).
  lifecycle {
    ignore_changes = [
      os_disk,
      custom_data,
      provision_vm_agent,
      allow_extension_operations,
    ]
  }
}
