# Deliver the kubelet kubeconfig over SSH; its arrival starts the kubelet (kubelet.path).
# The machine is PXE-booted and installed by the operator, so the connection waits up to 60m.
resource "null_resource" "copy-worker-secrets" {
  # Matchbox must serve the machine its configs before it can come up.
  depends_on = [
    matchbox_group.worker,
  ]

  connection {
    type    = "ssh"
    host    = var.domain
    user    = "core"
    timeout = "60m"
  }

  provisioner "file" {
    content     = var.kubeconfig
    destination = "/home/core/kubeconfig"
  }

  # Touching /etc/kubernetes after the move makes sure the path unit sees the new file
  # (fedora-coreos-tracker#861); it is harmless on Flatcar Linux.
  provisioner "remote-exec" {
    inline = [
      "sudo mv /home/core/kubeconfig /etc/kubernetes/kubeconfig",
      "sudo touch /etc/kubernetes",
    ]
  }
}
