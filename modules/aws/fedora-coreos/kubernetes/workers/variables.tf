variable "name" {
  type        = string
  description = "Unique name for the worker pool"
}

variable "vpc_id" {
  type        = string
  description = "Must be set to `vpc_id` output by cluster"
}

variable "subnet_ids" {
  type        = list(string)
  description = "Must be set to `subnet_ids` output by cluster"
}

variable "security_groups" {
  type        = list(string)
  description = "Must be set to `worker_security_groups` output by cluster"
}

variable "worker_count" {
  type        = number
  description = "Number of instances"
  default     = 1
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type"
  default     = "t3.small"
}

variable "associate_public_ipv4_address" {
  type        = bool
  description = "Give instances a public IPv4 address"
  default     = true
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

variable "image_id" {
  type        = string
  description = "Pin the AMI id instead of looking up the newest for the OS channel"
  default     = null
}

variable "disk_size" {
  type        = number
  description = "Size of the root volume in GB"
  default     = 30
}

variable "disk_type" {
  type        = string
  description = "Type of the root volume (e.g. standard, gp2, gp3, io1)"
  default     = "gp3"
}

variable "disk_iops" {
  type        = number
  description = "IOPS of the root volume (used for gp3 and io1; 0 keeps the AWS default)"
  default     = 0
}

variable "spot_price" {
  type        = number
  description = "Spot price in USD for worker instances, or 0 for on-demand instances"
  default     = 0
}

variable "cpu_credits" {
  type        = string
  description = "CPU credits mode for burstable instances (standard or unlimited; null keeps the AWS default)"
  default     = null
}

variable "target_groups" {
  type        = list(string)
  description = "Additional target group ARNs to which instances should be added"
  default     = []
}

variable "snippets" {
  type        = list(string)
  description = "Butane snippets merged into every worker's Ignition"
  default     = []
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

variable "service_cidr" {
  type        = string
  description = "CIDR IPv4 range to assign Kubernetes services. The 1st IP will be reserved for kube_apiserver, the 10th IP will be reserved for coredns."
  default     = "10.3.0.0/16"
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

variable "arch" {
  type        = string
  description = "Container architecture (amd64 or arm64)"
  default     = "amd64"

  validation {
    condition     = contains(["amd64", "arm64"], var.arch)
    error_message = "The arch must be one of: amd64, arm64."
  }
}

variable "cloud_provider" {
  type        = string
  description = "Kubernetes cloud provider flag for the kubelet (null or external)"
  default     = null

  validation {
    condition     = contains(["external"], coalesce(var.cloud_provider, "external"))
    error_message = "The cloud_provider must be null or one of: external."
  }
}
