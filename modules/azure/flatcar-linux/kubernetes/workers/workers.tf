# Workers: a scale set of identical VMs behind the cluster load balancer's worker pools
# (which also give them outbound access).
resource "azurerm_linux_virtual_machine_scale_set" "workers" {
  name                = "${var.name}-worker"
  resource_group_name = var.resource_group_name
  location            = var.location
  sku                 = var.vm_type
  instances           = var.worker_count
  # Instances are spread over fault domains; one placement group caps a set at 100 VMs.
  single_placement_group = false
  # Every instance is a node that joins the cluster: no extra instances to throw away.
  overprovision = false

  # The node config holds the kubelet's bootstrap credentials: keep it out of plan output.
  custom_data = sensitive(base64encode(local.worker_user_data))

  os_disk {
    storage_account_type = var.disk_type
    disk_size_gb         = var.disk_size
    # Ephemeral OS disks require read-only caching.
    caching = var.ephemeral_disk ? "ReadOnly" : "ReadWrite"

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

  # Azure requires an admin key; the node's real SSH key comes from Ignition.
  computer_name_prefix = "${var.name}-worker"
  admin_username       = "core"
  admin_ssh_key {
    username   = "core"
    public_key = local.azure_authorized_key
  }

  provision_vm_agent           = local.vm_agent
  extension_operations_enabled = local.vm_agent

  # Spot instances are deleted on eviction; the scale set brings the count back.
  priority        = var.priority
  eviction_policy = var.priority == "Spot" ? "Delete" : null

  # A new node config or image applies to new instances; existing ones keep running
  # until reimaged, so a change never takes workers away all at once.
  upgrade_mode = "Manual"

  boot_diagnostics {}
}
