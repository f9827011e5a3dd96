variable "cluster_name" {
  type        = string
  description = "Unique cluster name (prepended to dns_zone)"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,23}[a-z0-9]$", var.cluster_name))
    error_message = "The cluster_name must be a DNS label of at most 25 characters: lowercase letters, digits and '-'."
  }
}

variable "region" {
  type        = string
  description = "Google Cloud Region (e.g. us-central1, see `gcloud compute regions list`)"
}

variable "dns_zone" {
  type        = string
  description = "Google Cloud DNS Zone (e.g. google-cloud.example.com)"
}

variable "dns_zone_name" {
  type        = string
  description = "Google Cloud DNS Zone name (e.g. example-zone)"
}

variable "enable_http_load_balancing" {
  type        = bool
  description = "Enable the global load balancer's HTTP (port 80) ingress forwarding rules (HTTPS is always on)"
  default     = false
}

variable "os_image" {
  type        = string
  description = "Flatcar Linux image family for instances (flatcar-stable, flatcar-beta, flatcar-alpha)"
  default     = "flatcar-stable"

  validation {
    condition     = contains(["flatcar-stable", "flatcar-beta", "flatcar-alpha"], var.os_image)
    error_message = "The os_image must be one of: flatcar-stable, flatcar-beta, flatcar-alpha."
  }
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
  description = "Machine type for controllers (see `gcloud compute machine-types list`)"
  default     = "n1-standard-1"
}

variable "controller_disk_size" {
  type        = number
  description = "Size of the controller boot disk in GB"
  default     = 30
}

variable "controller_disk_type" {
  type        = string
  description = "Type of the controller boot disk (pd-standard, pd-balanced, pd-ssd)"
  default     = "pd-standard"

  validation {
    condition     = contains(["pd-standard", "pd-ssd", "pd-balanced"], var.controller_disk_type)
    error_message = "The controller_disk_type must be one of: pd-standard, pd-ssd, pd-balanced."
  }
}

variable "worker_count" {
  type        = number
  description = "Number of workers"
  default     = 1
}

variable "worker_type" {
  type        = string
  description = "Machine type for workers (see `gcloud compute machine-types list`)"
  default     = "n1-standard-1"
}

variable "worker_disk_size" {
  type        = number
  description = "Size of the worker boot disk in GB"
  default     = 30
}

variable "worker_disk_type" {
  type        = string
  description = "Type of the worker boot disk (pd-standard, pd-balanced, pd-ssd)"
  default     = "pd-standard"

  validation {
    condition     = contains(["pd-standard", "pd-ssd", "pd-balanced"], var.worker_disk_type)
    error_message = "The worker_disk_type must be one of: pd-standard, pd-ssd, pd-balanced."
  }
}

variable "worker_preemptible" {
  type        = bool
  description = "If enabled, Compute Engine will terminate workers randomly within 24 hours (Spot VMs)"
  default     = false
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
