variable "environment" {
  description = "Environment name: `dev`, `staging` or `prod`. Every app gets it as `APP_ENV`; the namespace gets it as its `environment` label."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "namespace" {
  description = "The environment's namespace, which the platform module creates, e.g. `my-app-prod`. Also the ALB group name the apps' ingresses share."
  type        = string
}

variable "resource_quota" {
  description = "The namespace's ResourceQuota, as the platform module's `resource_quota`. Null: 8 CPUs and 16Gi of memory requested, 50 pods."
  type        = any
  default     = { requests_cpu = "8", requests_memory = "16Gi", pods = 50 }
  nullable    = false
}

variable "apps" {
  description = <<-EOT
    The environment's applications by name (DNS-1123 labels of at most 40 characters). Each becomes one
    service module: Deployment, ServiceAccount, ConfigMap, NetworkPolicy, and as its settings say a Service,
    Ingress, HorizontalPodAutoscaler, PodDisruptionBudget and IRSA role. Settings (only `image` is required;
    what is not set takes the service module's default):
    - `image`, `port`, `args`, `replicas`, `min_available`, `zone_spread`, `resources`, `autoscaling`: as the
      service module's variables of the same names;
    - `config`: ConfigMap entries, added to `APP_ENV = <environment>`;
    - `service`: false for an app that serves nothing (no Service);
    - `ingress = { host, internal }`: served at `<host>.<domain>` by an internet-facing (or, with
      `internal = true`, internal) ALB, over HTTPS when `certificate_arn` is set;
    - `aws_access = { s3_buckets = [{ bucket, prefixes, access }], secrets_manager_prefixes,
      ssm_parameter_paths }`: an IAM role for the pods (IRSA) with those grants;
    - `database`: true to allow egress to `database_cidrs` on 5432.
  EOT
  # `any` rather than an object type: a conversion to an object type drops the attributes the type does not
  # declare, without a word, so a misspelt `min_availble` would deploy without its PodDisruptionBudget.
  # `managed_applications` refuses settings it does not know (see main.tf); the service module types and
  # checks the values.
  type = any

  validation {
    condition     = can(keys(var.apps)) && length(var.apps) > 0 && alltrue([for k in keys(var.apps) : can(regex("^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$", k))])
    error_message = "apps needs at least one entry, each named by a DNS-1123 label of at most 40 characters."
  }

  validation {
    condition     = alltrue([for a in values(var.apps) : can(tostring(a.image)) && (try(a.ingress, null) == null || can(tostring(a.ingress.host)))])
    error_message = "Every app needs an `image`, and an `ingress` needs a `host`."
  }
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

variable "vpc_cidr" {
  description = "CIDR of the VPC. The ALB (target type `ip`) connects to the pods from it, so the apps with an `ingress` allow it on their port."
  type        = string
}

variable "database_cidrs" {
  description = "CIDRs of the database subnets, which apps with `database = true` may reach on 5432."
  type        = list(string)
  default     = []
}

variable "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider (e.g. the EKS module's `oidc_provider_arn`), which the IRSA roles of apps with `aws_access` trust. Set this or `cluster_name`."
  type        = string
  default     = null
}

variable "cluster_name" {
  description = "The EKS cluster whose OIDC provider the IRSA roles trust, looked up by hub. Set this or `oidc_provider_arn`."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags on the IAM roles hub creates for apps with `aws_access`."
  type        = map(string)
  default     = {}
}

variable "iam_permissions_boundary" {
  description = "ARN of the managed policy set as the permissions boundary of the IAM roles hub creates for apps with `aws_access` (needed when Terraform runs with the IAM policy of docs/permissions.md)."
  type        = string
  default     = null
}
