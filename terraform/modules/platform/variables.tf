variable "namespace" {
  description = "Name of the namespace the platform creates for the environment's applications, e.g. `my-app-prod`."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit."
  }
}

variable "labels" {
  description = "Extra labels on the namespace (for example `team` or `environment`), usable by other namespaces' policies."
  type        = map(string)
  default     = {}
}

variable "pod_security_level" {
  description = "Pod Security Standard enforced, audited and warned about in the namespace: `restricted` (the default; every hub_app default meets it), `baseline` or `privileged`."
  type        = string
  default     = "restricted"

  validation {
    condition     = contains(["restricted", "baseline", "privileged"], var.pod_security_level)
    error_message = "pod_security_level must be one of restricted, baseline or privileged."
  }
}

variable "resource_quota" {
  description = "ResourceQuota for the whole namespace (requests, limits, pod and service counts). Null: no quota. Quantities are Kubernetes quantities such as `\"20\"` CPUs or `\"40Gi\"`."
  type = object({
    requests_cpu    = optional(string)
    requests_memory = optional(string)
    limits_cpu      = optional(string)
    limits_memory   = optional(string)
    pods            = optional(number)
    services        = optional(number)
    load_balancers  = optional(number, 0)
  })
  default = {
    requests_cpu    = "8"
    requests_memory = "16Gi"
    pods            = 50
  }

  validation {
    condition     = var.resource_quota == null ? true : alltrue([for n in [var.resource_quota.pods, var.resource_quota.services, var.resource_quota.load_balancers] : n == null ? true : n >= 0])
    error_message = "resource_quota counts (pods, services, load_balancers) must not be negative."
  }
}

variable "limit_range" {
  description = "Default container requests and limits for pods that set none (a LimitRange). Null: none."
  type = object({
    default_request_cpu    = optional(string)
    default_request_memory = optional(string)
    default_limit_cpu      = optional(string)
    default_limit_memory   = optional(string)
    max_cpu                = optional(string)
    max_memory             = optional(string)
  })
  default = {
    default_request_cpu    = "100m"
    default_request_memory = "128Mi"
    default_limit_memory   = "512Mi"
  }
}

variable "default_deny" {
  description = "Deny all ingress and egress of every pod in the namespace (NetworkPolicy `default-deny`), so each service must state what it needs (the service module does). DNS stays allowed by `allow_dns`."
  type        = bool
  default     = true
}

variable "allow_dns" {
  description = "Allow every pod DNS to kube-dns on UDP and TCP 53 (NetworkPolicy `allow-dns`). Needed under `default_deny`."
  type        = bool
  default     = true
}

variable "delete_timeout" {
  description = "How long destroy waits for the namespace to be gone, e.g. `5m`."
  type        = string
  default     = "5m"

  validation {
    condition     = can(regex("^([0-9]+[hms])+$", var.delete_timeout))
    error_message = "delete_timeout must be a duration such as \"90s\", \"5m\" or \"1h30m\"."
  }
}
