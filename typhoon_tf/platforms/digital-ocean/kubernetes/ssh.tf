# Deliver secrets over SSH and start the one-time cluster bootstrap. DigitalOcean metadata
# (user_data) holds no cluster credentials: the kubelet kubeconfig is copied to every node
# here, and its arrival starts the kubelet (kubelet.path). Terraform's SSH connections use
# the operator's ssh-agent (no private key is stored).

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
    digitalocean_firewall.rules,
  ]

  # A replaced droplet is a new machine: copy its secrets again. A lifecycle trigger
  # rather than `triggers` (which Typhoon's resources lack): switching `source` from
  # Typhoon re-runs nothing against live controllers.
  lifecycle {
    replace_triggered_by = [digitalocean_droplet.controllers[count.index].id]
  }

  connection {
    type    = "ssh"
    host    = digitalocean_droplet.controllers[count.index].ipv4_address
    user    = "core"
    timeout = "15m"
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

resource "null_resource" "copy-worker-secrets" {
  count = var.worker_count

  depends_on = [
    module.bootstrap,
    digitalocean_firewall.rules,
  ]

  # Workers are replaced when their config changes: the new droplet needs the kubeconfig.
  lifecycle {
    replace_triggered_by = [digitalocean_droplet.workers[count.index].id]
  }

  connection {
    type    = "ssh"
    host    = digitalocean_droplet.workers[count.index].ipv4_address
    user    = "core"
    timeout = "15m"
  }

  provisioner "file" {
    content     = module.bootstrap.kubeconfig-kubelet
    destination = "/home/core/kubeconfig"
  }

  provisioner "remote-exec" {
    inline = [
      "sudo mv /home/core/kubeconfig /etc/kubernetes/kubeconfig",
      "sudo touch /etc/kubernetes",
    ]
  }
}

# Apply the bootstrap manifests once, from the first controller, when every node has its
# kubeconfig and the apiserver name resolves.
resource "null_resource" "bootstrap" {
  depends_on = [
    null_resource.copy-controller-secrets,
    null_resource.copy-worker-secrets,
    digitalocean_record.controllers,
  ]

  connection {
    type    = "ssh"
    host    = digitalocean_droplet.controllers[0].ipv4_address
    user    = "core"
    timeout = "15m"
  }

  provisioner "remote-exec" {
    inline = [
      "sudo systemctl start bootstrap",
    ]
  }
}
