variable "cluster_name" {
  type        = string
  description = "Unique cluster name (prepended to dns_zone)"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,48}[a-z0-9]$", var.cluster_name))
    error_message = "The cluster_name must be a DNS label of at most 50 characters: lowercase letters, digits and '-'."
  }
}

variable "location" {
  type        = string
  description = "Azure location (e.g. centralus, see `az account list-locations --output table`)"
}

variable "dns_zone" {
  type        = string
  description = "Azure DNS Zone (e.g. azure.example.com)"
}

variable "dns_zone_group" {
  type        = string
  description = "Resource group where the Azure DNS Zone resides (e.g. global)"
}

variable "enable_http_load_balancing" {
  type        = bool
  description = "Enable the load balancer's HTTP (port 80) ingress rules (HTTPS is always on)"
  default     = false
}

variable "enable_ipv6_load_balancing" {
  type        = bool
  description = "Enable IPv6 load balancer rules for the apiserver and ingress (the apiserver AAAA record is always published)"
  default     = false
}

variable "os_image" {
  type        = string
  description = "Fedora CoreOS image ID for instances (an image you uploaded, e.g. /subscriptions/.../images/fedora-coreos-...)"
}

variable "controller_count" {
  type        = number
  description = "Number of controllers (i.e. masters); use an odd number for etcd quorum"
  default     = 1

  validation {
    condition     = var.controller_count >= 1
    error_message = "The controller_count must be at least 1."
  }
}

variable "controller_type" {
  type        = string
  description = "Machine type for controllers (see `az vm list-skus --location centralus`)"
  default     = "Standard_B2s"
}

variable "controller_disk_type" {
  type        = string
  description = "Type of managed disk for controller node(s)"
  default     = "Premium_LRS"
}

variable "controller_disk_size" {
  type        = number
  description = "Size of the managed disk in GB for controller node(s)"
  default     = 30
}

variable "worker_count" {
  type        = number
  description = "Number of workers"
  default     = 1
}

variable "worker_type" {
  type        = string
  description = "Machine type for workers (see `az vm list-skus --location centralus`)"
  default     = "Standard_D2as_v5"
}

variable "worker_disk_type" {
  type        = string
  description = "Type of managed disk for worker nodes"
  default     = "Standard_LRS"
}

variable "worker_disk_size" {
  type        = number
  description = "Size of the managed disk in GB for worker nodes"
  default     = 30
}

variable "worker_ephemeral_disk" {
  type        = bool
  description = "Use ephemeral local disk instead of managed disk (requires vm_type with local storage)"
  default     = false
}

variable "worker_ephemeral_disk_placement" {
  type        = string
  description = "Location of the ephemeral disk (ResourceDisk or NvmeDisk)"
  default     = "ResourceDisk"

  validation {
    condition     = contains(["ResourceDisk", "NvmeDisk"], var.worker_ephemeral_disk_placement)
    error_message = "The worker_ephemeral_disk_placement must be one of: ResourceDisk, NvmeDisk."
  }
}

variable "worker_priority" {
  type        = string
  description = "Set worker priority to Spot to use reduced cost surplus capacity, with the tradeoff that instances can be deallocated at any time"
  default     = "Regular"

  validation {
    condition     = contains(["Regular", "Spot"], var.worker_priority)
    error_message = "The worker_priority must be one of: Regular, Spot."
  }
}

variable "controller_snippets" {
  type        = list(string)
  description = "Controller Butane snippets, merged into every controller's Ignition"
  default     = []
}

variable "worker_snippets" {
  type        = list(string)
  description = "Worker Butane snippets, merged into every worker's Ignition"
  default     = []
}

variable "ssh_authorized_key" {
  type        = string
  description = "SSH public key for user 'core'"
}

variable "azure_authorized_key" {
  type        = string
  description = "An RSA public key for Azure's VM admin user check (nodes take ssh_authorized_key from Ignition). Empty: ssh_authorized_key if it is an RSA key, else a throwaway RSA key is generated"
  default     = ""
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

variable "network_cidr" {
  type        = any
  description = "Virtual network CIDR ranges: an object with `ipv4` (list of CIDRs) and optional `ipv6` (list of CIDRs; default a random /48 unique local range)"
  default = {
    ipv4 = ["10.0.0.0/16"]
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

variable "worker_node_labels" {
  type        = list(string)
  description = "List of initial worker node labels"
  default     = []
}

variable "daemonset_tolerations" {
  type        = list(string)
  description = "List of additional taint keys kube-system DaemonSets should tolerate (e.g. ['custom-role', 'gpu-role'])"
  default     = []
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

variable "cloud_provider" {
  type        = string
  description = "Kubernetes cloud provider flag for kubelets and the controller manager (null or external)"
  default     = null

  validation {
    condition     = contains(["external"], coalesce(var.cloud_provider, "external"))
    error_message = "The cloud_provider must be null or one of: external."
  }
}

variable "certificate_validity_hours" {
  type        = number
  description = "Validity period of the cluster's TLS certificates in hours (Typhoon hard-codes one year)"
  default     = 8760
}
