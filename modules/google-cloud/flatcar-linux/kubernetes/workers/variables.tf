variable "name" {
  type        = string
  description = "Unique name for the worker pool"
}

variable "cluster_name" {
  type        = string
  description = "Must be set to `cluster_name` of cluster"
}

variable "region" {
  type        = string
  description = "Must be set to `region` of cluster"
}

variable "network" {
  type        = string
  description = "Must be set to `network_name` output by cluster"
}

variable "worker_count" {
  type        = number
  description = "Number of worker compute instances the instance group should manage"
  default     = 1
}

variable "machine_type" {
  type        = string
  description = "Machine type for compute instances (e.g. gcloud compute machine-types list)"
  default     = "n1-standard-1"
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

variable "disk_size" {
  type        = number
  description = "Size of the boot disk in GB"
  default     = 30
}

variable "disk_type" {
  type        = string
  description = "Type of the boot disk (pd-standard, pd-balanced, pd-ssd)"
  default     = "pd-standard"

  validation {
    condition     = contains(["pd-standard", "pd-ssd", "pd-balanced"], var.disk_type)
    error_message = "The disk_type must be one of: pd-standard, pd-ssd, pd-balanced."
  }
}

variable "preemptible" {
  type        = bool
  description = "If enabled, Compute Engine will terminate instances randomly within 24 hours (Spot VMs)"
  default     = false
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

variable "accelerator_type" {
  type        = string
  description = "Google Compute Engine accelerator type (e.g. nvidia-tesla-k80, see gcloud compute accelerator-types list)"
  default     = ""
}

variable "accelerator_count" {
  type        = string
  description = "Number of compute engine accelerators"
  default     = "0"
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
