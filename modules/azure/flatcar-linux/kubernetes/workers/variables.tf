variable "name" {
  type        = string
  description = "Unique name for the worker pool"
}

variable "location" {
  type        = string
  description = "Must be set to `location` output by cluster"
}

variable "resource_group_name" {
  type        = string
  description = "Must be set to `resource_group_name` output by cluster"
}

variable "subnet_id" {
  type        = string
  description = "Must be set to `subnet_id` output by cluster"
}

variable "security_group_id" {
  type        = string
  description = "Must be set to `security_group_id` output by cluster"
}

variable "backend_address_pool_ids" {
  type        = object({ ipv4 = list(string), ipv6 = list(string) })
  description = "Must be set to `backend_address_pool_ids` output by cluster"
}

variable "worker_count" {
  type        = number
  description = "Number of instances"
  default     = 1
}

variable "vm_type" {
  type        = string
  description = "Machine type for instances (see `az vm list-skus --location centralus`)"
  default     = "Standard_D2as_v5"
}

variable "os_image" {
  type        = string
  description = "Channel of the Flatcar Linux marketplace image (flatcar-stable, flatcar-beta, flatcar-alpha), or the ID of a Flatcar Linux image you uploaded (/subscriptions/...)"
  default     = "flatcar-stable"

  validation {
    condition     = contains(["flatcar-stable", "flatcar-beta", "flatcar-alpha"], var.os_image) || can(regex("^/subscriptions/", var.os_image))
    error_message = "The os_image must be flatcar-stable, flatcar-beta, flatcar-alpha or an image ID (/subscriptions/...)."
  }
}

variable "disk_type" {
  type        = string
  description = "Type of managed disk"
  default     = "Standard_LRS"
}

variable "disk_size" {
  type        = number
  description = "Size of the managed disk in GB"
  default     = 30
}

variable "ephemeral_disk" {
  type        = bool
  description = "Use ephemeral local disk instead of managed disk (requires vm_type with local storage)"
  default     = false
}

variable "ephemeral_disk_placement" {
  type        = string
  description = "Location of the ephemeral disk (ResourceDisk or NvmeDisk)"
  default     = "ResourceDisk"

  validation {
    condition     = contains(["ResourceDisk", "NvmeDisk"], var.ephemeral_disk_placement)
    error_message = "The ephemeral_disk_placement must be one of: ResourceDisk, NvmeDisk."
  }
}

variable "priority" {
  type        = string
  description = "Set priority to Spot to use reduced cost surplus capacity, with the tradeoff that instances can be evicted at any time"
  default     = "Regular"

  validation {
    condition     = contains(["Regular", "Spot"], var.priority)
    error_message = "The priority must be one of: Regular, Spot."
  }
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

variable "azure_authorized_key" {
  type        = string
  description = "An RSA public key for Azure's VM admin user check (nodes take ssh_authorized_key from Ignition). Empty: ssh_authorized_key if it is an RSA key, else a throwaway RSA key is generated"
  default     = ""
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

variable "cloud_provider" {
  type        = string
  description = "Kubernetes cloud provider flag for the kubelet (null or external)"
  default     = null

  validation {
    condition     = contains(["external"], coalesce(var.cloud_provider, "external"))
    error_message = "The cloud_provider must be null or one of: external."
  }
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
