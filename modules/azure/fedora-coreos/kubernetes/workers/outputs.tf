output "scale_set_id" {
  description = "ID of the worker scale set"
  value       = azurerm_orchestrated_virtual_machine_scale_set.workers.id
}
