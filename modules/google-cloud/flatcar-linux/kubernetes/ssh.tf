# Deliver controller secrets over SSH and start the one-time cluster bootstrap.
# Terraform's SSH connections use the operator's ssh-agent (no private key is stored).

locals {
  # One text file of "##### <path>" headers followed by contents; /opt/bootstrap/layout
  # on the controller splits it back into files.
  assets_bundle = [
    for key, value in module.bootstrap.assets_dist : format("##### %s\n%s", key, value)
  ]
}

resource "null_resource" "copy-controller-secrets" {
  count = var.controller_count

  depends_on = [
    module.bootstrap,
  ]

  # A replaced controller is a new machine: copy its secrets again. A lifecycle trigger
  # rather than `triggers` (Typhoon's copies have none): switching `source` from Typhoon
  # re-runs nothing against live controllers.
  lifecycle {
    replace_triggered_by = [google_compute_instance.controllers[count.index].id]
  }

  connection {
    type    = "ssh"
    host    = local.controllers_ipv4_public[count.index]
    user    = "core"
    timeout = "15m"
  }

  provisioner "file" {
    content     = join("\n", local.assets_bundle)
    destination = "/home/core/assets"
  }

  provisioner "remote-exec" {
    inline = [
      "sudo /opt/bootstrap/layout",
    ]
  }
}

# Apply the bootstrap manifests once, from the first controller, when all controllers
# have their secrets and the apiserver name resolves.
resource "null_resource" "bootstrap" {
  depends_on = [
    null_resource.copy-controller-secrets,
    module.workers,
    google_dns_record_set.apiserver,
  ]

  connection {
    type    = "ssh"
    host    = local.controllers_ipv4_public[0]
    user    = "core"
    timeout = "15m"
  }

  provisioner "remote-exec" {
    inline = [
      "sudo systemctl start bootstrap",
    ]
  }
}
