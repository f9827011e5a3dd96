variable "cluster_name" {
  type        = string
  description = "Unique cluster name (prepended to dns_zone)"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,16}[a-z0-9]$", var.cluster_name))
    error_message = "The cluster_name must be a DNS label of at most 18 characters: lowercase letters, digits and '-'."
  }
}

variable "dns_zone" {
  type        = string
  description = "AWS Route53 DNS zone (e.g. aws.example.com)"
}

variable "dns_zone_id" {
  type        = string
  description = "AWS Route53 DNS zone id (e.g. Z3PAABBCFAKEC0)"
}

variable "os_stream" {
  type        = string
  description = "Fedora CoreOS image stream for instances (stable, testing, next)"
  default     = "stable"

  validation {
    condition     = contains(["stable", "testing", "next"], var.os_stream)
    error_message = "The os_stream must be one of: stable, testing, next."
  }
}

variable "controller_image_id" {
  type        = string
  description = "Pin the controllers' AMI id instead of looking up the newest for the OS channel (typhoon-tf generate --pin-images writes it)"
  default     = null
}

variable "worker_image_id" {
  type        = string
  description = "Pin the workers' AMI id instead of looking up the newest for the OS channel"
  default     = null
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
  description = "EC2 instance type for controllers"
  default     = "t3.small"
}

variable "controller_disk_size" {
  type        = number
  description = "Size of the controller root volume in GB"
  default     = 30
}

variable "controller_disk_type" {
  type        = string
  description = "Type of the controller root volume (e.g. standard, gp2, gp3, io1)"
  default     = "gp3"
}

variable "controller_disk_iops" {
  type        = number
  description = "IOPS of the controller root volume (used for gp3 and io1)"
  default     = 3000
}

variable "controller_cpu_credits" {
  type        = string
  description = "CPU credits mode for burstable controller instances (standard or unlimited; null keeps the AWS default)"
  default     = null
}

variable "worker_count" {
  type        = number
  description = "Number of workers"
  default     = 1
}

variable "worker_type" {
  type        = string
  description = "EC2 instance type for workers"
  default     = "t3.small"
}

variable "worker_public_ipv4" {
  type        = bool
  description = "Give workers a public IPv4 address"
  default     = true
}

variable "worker_disk_size" {
  type        = number
  description = "Size of the worker root volume in GB"
  default     = 30
}

variable "worker_disk_type" {
  type        = string
  description = "Type of the worker root volume (e.g. standard, gp2, gp3, io1)"
  default     = "gp3"
}

variable "worker_disk_iops" {
  type        = number
  description = "IOPS of the worker root volume (used for gp3 and io1)"
  default     = 3000
}

variable "worker_cpu_credits" {
  type        = string
  description = "CPU credits mode for burstable worker instances (standard or unlimited; null keeps the AWS default)"
  default     = null
}

variable "worker_price" {
  type        = number
  description = "Spot price in USD for worker instances, or 0 for on-demand instances"
  default     = 0
}

variable "worker_target_groups" {
  type        = list(string)
  description = "Additional target group ARNs to which worker instances should be added"
  default     = []
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

variable "host_cidr" {
  type        = string
  description = "CIDR IPv4 range to assign to EC2 nodes"
  default     = "10.0.0.0/16"
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

variable "controller_arch" {
  type        = string
  description = "Controller architecture (amd64 or arm64)"
  default     = "amd64"

  validation {
    condition     = contains(["amd64", "arm64"], var.controller_arch)
    error_message = "The controller_arch must be one of: amd64, arm64."
  }
}

variable "worker_arch" {
  type        = string
  description = "Worker architecture (amd64 or arm64)"
  default     = "amd64"

  validation {
    condition     = contains(["amd64", "arm64"], var.worker_arch)
    error_message = "The worker_arch must be one of: amd64, arm64."
  }
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

variable "network_mtu" {
  type        = number
  description = "MTU of the nodes' network interface; the CNI subtracts its encapsulation overhead (EC2 supports 9001 inside a VPC, but traffic leaving it is 1500)"
  default     = 1500
}

variable "network_encapsulation" {
  type        = string
  description = "Calico encapsulation mode between nodes (ipip or vxlan)"
  default     = "ipip"

  validation {
    condition     = contains(["ipip", "vxlan"], var.network_encapsulation)
    error_message = "The network_encapsulation must be one of: ipip, vxlan."
  }
}

variable "certificate_validity_hours" {
  type        = number
  description = "Validity period of the cluster's TLS certificates in hours (Typhoon hard-codes one year)"
  default     = 8760
}
