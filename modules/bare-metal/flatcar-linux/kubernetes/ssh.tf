# Deliver secrets over SSH and start the one-time cluster bootstrap. Matchbox holds no
# cluster credentials: the kubelet kubeconfig is copied here, and its arrival starts the
# kubelet (kubelet.path). Terraform's SSH connections use the operator's ssh-agent.
# Machines are PXE-booted and installed by the operator, so the connections wait up to 60m.
# The install environment listens for SSH on port 2222 only, so port 22 answers once the
# installed OS is up.

locals {
  # One text file of "##### <path>" headers followed by contents; /opt/bootstrap/layout
  # on the controller splits it back into files.
  assets_bundle = [
    for key, value in module.bootstrap.assets_dist : format("##### %s\n%s", key, value)
  ]
}

resource "null_resource" "copy-controller-secrets" {
  count = length(var.controllers)

  # Matchbox must serve the machines their configs before they can come up.
  depends_on = [
    module.bootstrap,
    matchbox_group.install,
    matchbox_group.controller,
  ]

  connection {
    type    = "ssh"
    host    = var.controllers[count.index].domain
    user    = "core"
    timeout = "60m"
  }

  provisioner "file" {
    content     = module.bootstrap.kubeconfig-kubelet
    destination = "/home/core/kubeconfig"
  }

  provisioner "file" {
    content     = join("\n", local.assets_bundle)
    destination = "/home/core/assets"
  }

  # Touching /etc/kubernetes after the move makes sure the path unit sees the new file
  # (fedora-coreos-tracker#861); it is harmless on Flatcar Linux.
  provisioner "remote-exec" {
    inline = [
      "sudo mv /home/core/kubeconfig /etc/kubernetes/kubeconfig",
      "sudo touch /etc/kubernetes",
      "sudo /opt/bootstrap/layout",
    ]
  }
}

# Apply the bootstrap manifests once, from the first controller, when every machine has
# its kubeconfig.
resource "null_resource" "bootstrap" {
  depends_on = [
    null_resource.copy-controller-secrets,
    module.workers,
  ]

  connection {
    type    = "ssh"
    host    = var.controllers[0].domain
    user    = "core"
    timeout = "15m"
  }

  provisioner "remote-exec" {
    inline = [
      "sudo systemctl start bootstrap",
    ]
  }
}
