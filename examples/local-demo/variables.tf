variable "environment" {
  description = "Environment name: `dev`, `staging` or `prod` (checked by the apps module). Names the namespace (`my-app-<environment>`)."
  type        = string
}

variable "cluster_name" {
  description = "The local control plane's EKS cluster (in moto)."
  type        = string
  default     = "hub-sandbox"
}

variable "sandbox_region" {
  description = "Region of the local control plane's EKS cluster."
  type        = string
  default     = "us-east-1"
}

variable "vpc_cidr" {
  description = "The address range the load balancer would connect from (the sandbox's nodes use 10.0.0.0/16, like the VPC)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "database_subnets" {
  description = "The database subnets apps with `database = true` may reach on 5432, as in ../eks-stack."
  type        = list(string)
  default     = ["10.0.30.0/24", "10.0.31.0/24", "10.0.32.0/24"]
}

# The settings of ../eks-stack that the apps module takes (terraform/modules/apps: its README describes them).

variable "domain" {
  description = "DNS domain of the ingress hosts, as in ../eks-stack."
  type        = string
  default     = "example.com"
}

variable "certificate_arn" {
  description = "ACM certificate of the ingresses, as in ../eks-stack. Null: HTTP only."
  type        = string
  default     = null
}

variable "resource_quota" {
  description = "ResourceQuota of the namespace, as in ../eks-stack. Null: the apps module's default."
  type        = any
  default     = null
}

variable "apps" {
  description = "The environment's applications by name, as in ../eks-stack (the apps module's `apps`)."
  type        = any
}
