variable "environment" {
  description = "Environment name: `dev`, `staging` or `prod` (checked by the apps module). Names the VPC, the cluster and the namespace (`my-app-<environment>`)."
  type        = string
}

variable "region" {
  description = "AWS region of the VPC and the cluster."
  type        = string
  default     = "us-west-2"
}

variable "tags" {
  description = "Extra tags on every AWS resource (IAM roles included)."
  type        = map(string)
  default     = {}
}

variable "cluster_name" {
  description = "EKS cluster name. Null: `my-app-<environment>`."
  type        = string
  default     = null
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS control plane, e.g. `1.31`."
  type        = string
  default     = "1.31"
}

variable "cluster_endpoint_public_access" {
  description = "Whether the cluster's API endpoint is reachable from the internet (where Terraform runs must reach it)."
  type        = bool
  default     = true
}

variable "node_group" {
  description = "The managed node group in the private subnets."
  type = object({
    instance_types = optional(list(string), ["m5.large"])
    min_size       = optional(number, 2)
    max_size       = optional(number, 6)
    desired_size   = optional(number, 3)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.node_group.min_size <= var.node_group.desired_size && var.node_group.desired_size <= var.node_group.max_size
    error_message = "node_group needs min_size <= desired_size <= max_size."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC (seed 001: 10.0.0.0/16)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR."
  }
}

variable "azs" {
  description = "Availability zones, one public, private and database subnet each."
  type        = list(string)
  default     = ["us-west-2a", "us-west-2b", "us-west-2c"]

  validation {
    condition     = length(var.azs) >= 2
    error_message = "Use at least two availability zones."
  }
}

variable "public_subnets" {
  description = "Public subnet CIDRs, one per AZ: the ALB and the NAT gateways (seed 001: 10.0.1.0/24, 10.0.2.0/24)."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
}

variable "private_subnets" {
  description = "Private subnet CIDRs, one per AZ: nodes and pods (seed 001: 10.0.10.0/24, 10.0.20.0/24)."
  type        = list(string)
  default     = ["10.0.10.0/24", "10.0.20.0/24", "10.0.40.0/24"]
}

variable "database_subnets" {
  description = "Database subnet CIDRs, one per AZ, with no route to the internet (seed 001: 10.0.30.0/24, 10.0.31.0/24). Apps with `database = true` may reach them on 5432."
  type        = list(string)
  default     = ["10.0.30.0/24", "10.0.31.0/24", "10.0.32.0/24"]
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the whole VPC (cheaper, for dev) instead of one per AZ (prod)."
  type        = bool
  default     = false
}

# What the apps module deploys onto the cluster (terraform/modules/apps: its README describes the settings).

variable "domain" {
  description = "DNS domain of the ingress hosts: `ingress = { host = \"api\" }` is served at `api.<domain>`."
  type        = string
  default     = "example.com"
}

variable "certificate_arn" {
  description = "ACM certificate for the ALB listeners (HTTPS, HTTP redirected). Null: HTTP only."
  type        = string
  default     = null
}

variable "resource_quota" {
  description = "ResourceQuota of the environment's namespace. Null: the apps module's default."
  type        = any
  default     = null
}

variable "apps" {
  description = "The environment's applications by name, as the apps module's `apps`; a setting it does not know is an error."
  type        = any
}
