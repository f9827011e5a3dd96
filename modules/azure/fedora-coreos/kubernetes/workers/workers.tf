# Workers: a flexible (orchestrated) scale set of identical VMs behind the cluster load
# balancer's worker pools (which also give them outbound access), kept at worker_count by an
# autoscale setting. Resource types, names and settings as Typhoon's, so a Typhoon pool
# switches to this module in place.
resource "azurerm_orchestrated_virtual_machine_scale_set" "workers" {
  name                        = "${var.name}-worker"
  resource_group_name         = var.resource_group_name
  location                    = var.location
  platform_fault_domain_count = 1
  sku_name                    = var.vm_type
  instances                   = var.worker_count

  # storage
  encryption_at_host_enabled = true
  os_disk {
    storage_account_type = var.disk_type
    disk_size_gb         = var.disk_size
    caching              = "ReadOnly"

    # Optionally the instance type's local disk (support varies by type).
    dynamic "diff_disk_settings" {
      for_each = var.ephemeral_disk ? [var.ephemeral_disk_placement] : []
      content {
        option    = "Local"
        placement = diff_disk_settings.value
      }
    }
  }

  source_image_id = local.worker_image_id
  dynamic "source_image_reference" {
    for_each = local.worker_marketplace_image
    content {
      publisher = source_image_reference.value.publisher
      offer     = source_image_reference.value.offer
      sku       = source_image_reference.value.sku
      version   = "latest"
    }
  }
  dynamic "plan" {
    for_each = local.worker_marketplace_plan
    content {
      publisher = plan.value.publisher
      product   = plan.value.product
      name      = plan.value.name
    }
  }

  # network
  network_interface {
    name                      = "nic0"
    primary                   = true
    network_security_group_id = var.security_group_id

    ip_configuration {
      name                                   = "ipv4"
      version                                = "IPv4"
      primary                                = true
      subnet_id                              = var.subnet_id
      load_balancer_backend_address_pool_ids = var.backend_address_pool_ids.ipv4
    }

    ip_configuration {
      name                                   = "ipv6"
      version                                = "IPv6"
      subnet_id                              = var.subnet_id
      load_balancer_backend_address_pool_ids = var.backend_address_pool_ids.ipv6
    }
  }

  # boot: Ignition reads the node config from the instances' user data.
  user_data_base64 = base64encode(local.worker_user_data)
  boot_diagnostics {}

  # Azure requires an admin key; the node's real SSH key comes from Ignition.
  os_profile {
    linux_configuration {
      admin_username = "core"
      admin_ssh_key {
        username   = "core"
        public_key = local.azure_authorized_key
      }
      computer_name_prefix = "${var.name}-worker"
      provision_vm_agent   = local.vm_agent
    }
  }

  # Fedora CoreOS ships no Azure VM agent, which extensions, automatic instance repair and
  # rolling upgrades need: a new node config or image reaches new instances only.
  extension_operations_enabled = false
  upgrade_mode                 = "Manual"

  # Spot instances are deleted on eviction; the autoscale setting brings the count back.
  priority        = var.priority
  eviction_policy = var.priority == "Spot" ? "Delete" : null
  termination_notification {
    enabled = true
  }
}

# Keep the pool at worker_count, replacing deallocated (e.g. evicted) instances.
resource "azurerm_monitor_autoscale_setting" "workers" {
  name                = "${var.name}-maintain-desired"
  resource_group_name = var.resource_group_name
  location            = var.location
  enabled             = true
  target_resource_id  = azurerm_orchestrated_virtual_machine_scale_set.workers.id

  profile {
    name = "default"
    capacity {
      minimum = var.worker_count
      default = var.worker_count
      maximum = var.worker_count
    }
  }
}
