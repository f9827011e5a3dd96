variable "cluster_name" {
  type        = string
  description = "Must be set to the `cluster_name` of the cluster"
}

variable "matchbox_http_endpoint" {
  type        = string
  description = "Matchbox HTTP read-only endpoint (e.g. http://matchbox.example.com:8080)"
}

variable "os_channel" {
  type        = string
  description = "Channel for a Flatcar Linux (flatcar-stable, flatcar-beta, flatcar-alpha)"

  validation {
    condition     = contains(["flatcar-stable", "flatcar-beta", "flatcar-alpha"], var.os_channel)
    error_message = "The os_channel must be one of: flatcar-stable, flatcar-beta, flatcar-alpha."
  }
}

variable "os_version" {
  type        = string
  description = "Version of the operating system to PXE boot and install"
}

variable "name" {
  type        = string
  description = "Unique name for the machine (e.g. node1)"
}

variable "mac" {
  type        = string
  description = "MAC address (e.g. 52:54:00:a1:9c:ae)"
}

variable "domain" {
  type        = string
  description = "Fully qualified domain name (e.g. node1.example.com)"
}

variable "kubeconfig" {
  type        = string
  description = "Must be set to `kubeconfig` output by cluster"
  sensitive   = true
}

variable "ssh_authorized_key" {
  type        = string
  description = "SSH public key for user 'core'"
}

variable "snippets" {
  type        = list(string)
  description = "List of Butane snippets"
  default     = []
}

variable "node_labels" {
  type        = list(string)
  description = "List of initial node labels"
  default     = []
}

variable "node_taints" {
  type        = list(string)
  description = "List of initial node taints"
  default     = []
}

variable "download_protocol" {
  type        = string
  description = "Protocol iPXE uses to download the kernel and initrd (https needs iPXE with crypto support). Unused if cached_install is true."
  default     = "https"

  validation {
    condition     = contains(["https", "http"], var.download_protocol)
    error_message = "The download_protocol must be one of: https, http."
  }
}

variable "cached_install" {
  type        = bool
  description = "Whether the operating system should PXE boot and install from matchbox /assets cache"
  default     = false
}

variable "install_disk" {
  type        = string
  description = "Disk device to install Flatcar Linux (e.g. /dev/sda)"
  default     = "/dev/sda"
}

variable "kernel_args" {
  type        = list(string)
  description = "Additional kernel arguments to provide at PXE boot"
  default     = []
}

variable "oem_type" {
  type        = string
  description = "An OEM type to install with flatcar-install (e.g. packet; empty for none)"
  default     = ""
}

variable "service_cidr" {
  type        = string
  description = "CIDR IPv4 range to assign Kubernetes services. The 1st IP will be reserved for kube_apiserver, the 10th IP will be reserved for coredns."
  default     = "10.3.0.0/16"
}
