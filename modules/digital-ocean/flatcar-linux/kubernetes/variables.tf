variable "cluster_name" {
  type        = string
  description = "Unique cluster name (prepended to dns_zone)"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,47}[a-z0-9]$", var.cluster_name))
    error_message = "The cluster_name must be a DNS label of at most 49 characters: lowercase letters, digits and '-'."
  }
}

variable "region" {
  type        = string
  description = "Digital Ocean region (e.g. nyc1, sfo2, fra1, tor1)"
}

variable "dns_zone" {
  type        = string
  description = "Digital Ocean domain (i.e. DNS zone) (e.g. do.example.com)"
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
  description = "Droplet type for controllers (e.g. s-2vcpu-2gb, s-2vcpu-4gb, s-4vcpu-8gb)"
  default     = "s-2vcpu-2gb"
}

variable "worker_count" {
  type        = number
  description = "Number of workers"
  default     = 1
}

variable "worker_type" {
  type        = string
  description = "Droplet type for workers (e.g. s-1vcpu-2gb, s-2vcpu-2gb)"
  default     = "s-1vcpu-2gb"
}

variable "os_image" {
  type        = string
  description = "ID of a custom image with the node operating system uploaded to DigitalOcean"
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

variable "ssh_fingerprints" {
  type        = list(string)
  description = "SSH public key fingerprints (e.g. see digitalocean_ssh_key.fingerprint); the keys are installed by DigitalOcean"
}

variable "networking" {
  type        = string
  description = "Choice of networking provider (flannel or cilium)"
  default     = "cilium"

  validation {
    condition     = contains(["flannel", "cilium"], var.networking)
    error_message = "The networking must be one of: flannel, cilium."
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

variable "worker_node_labels" {
  type        = list(string)
  description = "List of initial worker node labels"
  default     = []
}

variable "worker_node_taints" {
  type        = list(string)
  description = "List of initial worker node taints (key=value:Effect)"
  default     = []
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
