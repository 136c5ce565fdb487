variable "environment" {
  description = "Environment name: `dev`, `staging` or `prod`. Names the VPC, the cluster and the namespace (`my-app-<environment>`)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
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
  description = "Database subnet CIDRs, one per AZ, with no route to the internet (seed 001: 10.0.30.0/24, 10.0.31.0/24). Apps with `database = true` may reach them on 5432."
  type        = list(string)
  default     = ["10.0.30.0/24", "10.0.31.0/24", "10.0.32.0/24"]
}

variable "domain" {
  description = "DNS domain of the ingress hosts: an app with `ingress = { host = \"api\" }` is served at `api.<domain>`."
  type        = string
  default     = "example.com"
}

variable "certificate_arn" {
  description = "ACM certificate for the ALB listeners (HTTPS, with HTTP redirected to it). Null: HTTP only."
  type        = string
  default     = null
}

variable "resource_quota" {
  description = "ResourceQuota of the environment's namespace (see the platform module)."
  type = object({
    requests_cpu    = optional(string)
    requests_memory = optional(string)
    limits_cpu      = optional(string)
    limits_memory   = optional(string)
    pods            = optional(number)
    services        = optional(number)
    load_balancers  = optional(number, 0)
  })
  default = { requests_cpu = "8", requests_memory = "16Gi", pods = 50 }
}

variable "apps" {
  description = <<-EOT
    The environment's applications by name. Each becomes one service module: Deployment, Service,
    ServiceAccount, NetworkPolicy, and optionally Ingress (`ingress`), HorizontalPodAutoscaler
    (`autoscaling`), PodDisruptionBudget (`min_available`) and an IRSA role (`aws_access`).
  EOT
  type = map(object({
    image    = string
    port     = optional(number, 8080)
    args     = optional(list(string))
    config   = optional(map(string), {})
    replicas = optional(number, 2)
    resources = optional(object({
      cpu_request    = optional(string, "100m")
      memory_request = optional(string, "128Mi")
      cpu_limit      = optional(string)
      memory_limit   = optional(string, "256Mi")
    }), {})
    autoscaling = optional(object({
      min_replicas   = number
      max_replicas   = number
      cpu_percent    = optional(number)
      memory_percent = optional(number)
    }))
    min_available = optional(string)
    zone_spread   = optional(string, "topology")
    service       = optional(bool, true)
    ingress = optional(object({
      host     = string
      internal = optional(bool, false)
    }))
    aws_access = optional(object({
      s3_buckets = optional(list(object({
        bucket   = string
        prefixes = optional(list(string))
        access   = optional(string, "read")
      })), [])
      secrets_manager_prefixes = optional(list(string), [])
      ssm_parameter_paths      = optional(list(string), [])
    }))
    database = optional(bool, false)
  }))

  validation {
    condition     = length(var.apps) > 0 && alltrue([for k in keys(var.apps) : can(regex("^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$", k))])
    error_message = "apps needs at least one entry, each named by a DNS-1123 label of at most 40 characters."
  }
}
