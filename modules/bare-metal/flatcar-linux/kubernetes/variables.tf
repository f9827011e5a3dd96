variable "cluster_name" {
  type        = string
  description = "Unique cluster name"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,61}[a-z0-9]$", var.cluster_name))
    error_message = "The cluster_name must be a DNS label of at most 63 characters: lowercase letters, digits and '-'."
  }
}

variable "matchbox_http_endpoint" {
  type        = string
  description = "Matchbox HTTP read-only endpoint (e.g. http://matchbox.example.com:8080)"
}

variable "os_channel" {
  type        = string
  description = "Channel for a Flatcar Linux (flatcar-stable, flatcar-beta, flatcar-alpha); defaults to flatcar-stable like the other platforms' channel variables (Typhoon: required)"
  default     = "flatcar-stable"

  validation {
    condition     = contains(["flatcar-stable", "flatcar-beta", "flatcar-alpha"], var.os_channel)
    error_message = "The os_channel must be one of: flatcar-stable, flatcar-beta, flatcar-alpha."
  }
}

variable "os_version" {
  type        = string
  description = "Flatcar Linux version to PXE boot and install (e.g. 3975.2.1)"
}

variable "controllers" {
  type        = list(object({ name = string, mac = string, domain = string }))
  description = "List of controller machine details (unique name, identifying MAC address, FQDN)"

  validation {
    condition     = length(var.controllers) >= 1
    error_message = "At least one controller is required."
  }
}

variable "workers" {
  type        = list(object({ name = string, mac = string, domain = string }))
  description = "List of worker machine details (unique name, identifying MAC address, FQDN)"
  default     = []
}

variable "snippets" {
  type        = map(list(string))
  description = "Map from machine names to lists of Butane snippets"
  default     = {}
}

variable "worker_node_labels" {
  type        = map(list(string))
  description = "Map from worker names to lists of initial node labels"
  default     = {}
}

variable "worker_node_taints" {
  type        = map(list(string))
  description = "Map from worker names to lists of initial node taints"
  default     = {}
}

variable "k8s_domain_name" {
  type        = string
  description = "Controller DNS name which resolves to a controller instance. Workers and kubeconfig's will communicate with this endpoint (e.g. cluster.example.com)"
}

variable "ssh_authorized_key" {
  type        = string
  description = "SSH public key for user 'core'"
}

variable "networking" {
  type        = string
  description = "Choice of networking provider (flannel, cilium or calico)"
  default     = "cilium"

  validation {
    condition     = contains(["flannel", "cilium", "calico"], var.networking)
    error_message = "The networking must be one of: flannel, cilium, calico."
  }
}

variable "pod_cidr" {
  type        = string
  description = "CIDR IPv4 range to assign Kubernetes pods"
  default     = "10.20.0.0/14"
}

variable "service_cidr" {
  type        = string
  description = "CIDR IPv4 range to assign Kubernetes services. The 1st IP will be reserved for kube_apiserver, the 10th IP will be reserved for coredns."
  default     = "10.3.0.0/16"
}

variable "download_protocol" {
  type        = string
  description = "Protocol iPXE should use to download the kernel and initrd. Defaults to https, which requires iPXE compiled with crypto support. Unused if cached_install is true."
  default     = "https"

  validation {
    condition     = contains(["https", "http"], var.download_protocol)
    error_message = "The download_protocol must be one of: https, http."
  }
}

variable "cached_install" {
  type        = bool
  description = "Whether the operating system should PXE boot and install from matchbox /assets cache. Note that the admin must have downloaded the os_version into matchbox assets."
  default     = false
}

variable "install_disk" {
  type        = string
  description = "Disk device to install Flatcar Linux (e.g. /dev/sda)"
  default     = "/dev/sda"
}

variable "kernel_args" {
  type        = list(string)
  description = "Additional kernel arguments to provide at PXE boot."
  default     = []
}

variable "oem_type" {
  type        = string
  description = "An OEM type to install with flatcar-install (e.g. packet; empty for none)"
  default     = ""
}

variable "components" {
  type = object({
    enable     = optional(bool, true)
    coredns    = optional(object({ enable = optional(bool, true) }), { enable = true })
    kube_proxy = optional(object({ enable = optional(bool, true) }), { enable = true })
    flannel    = optional(object({ enable = optional(bool, true) }), { enable = true })
    calico     = optional(object({ enable = optional(bool, true) }), { enable = true })
    cilium     = optional(object({ enable = optional(bool, true) }), { enable = true })
  })
  description = "Configure pre-installed cluster components: set `enable = false` at the top or on coredns, kube_proxy, flannel, calico or cilium to manage it yourself (e.g. with an addon module)"
  default = {
    enable     = true
    coredns    = null
    kube_proxy = null
    flannel    = null
    calico     = null
    cilium     = null
  }
  nullable = false
}

variable "service_account_issuer" {
  type        = string
  description = "kube-apiserver service account token issuer (used as an identifier in 'iss' claims)"
  default     = "https://kubernetes.default.svc.cluster.local"
}

variable "certificate_validity_hours" {
  type        = number
  description = "Validity period of the cluster's TLS certificates in hours (Typhoon hard-codes one year)"
  default     = 8760
}
