variable "name" {
  description = "Application name. Names the Deployment, Service, ServiceAccount, NetworkPolicy and every other object, and is the `app.kubernetes.io/name` label the policy selects."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$", var.name))
    error_message = "name must be a DNS-1123 label of at most 40 characters (lower-case letters, digits and '-')."
  }
}

variable "namespace" {
  description = "Namespace to deploy into. Pass the platform module's `namespace` output so the service is created after the namespace and its policies."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label."
  }
}

variable "image" {
  description = "Container image with a tag or digest, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2`. Mutable tags such as `latest` are rejected: the plan must say what runs."
  type        = string

  validation {
    condition     = can(regex("^[^\\s]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$", var.image)) && !endswith(var.image, ":latest")
    error_message = "image must carry an explicit tag (not `latest`) or an `@sha256:` digest, e.g. `registry/app:1.4.2`."
  }
}

variable "port" {
  description = "The container port the application listens on. The same number goes into the container (`http`), the Service target and every NetworkPolicy allow rule, so they cannot disagree."
  type        = number
  default     = 8080
  nullable    = false

  validation {
    condition     = var.port >= 1 && var.port <= 65535 && floor(var.port) == var.port
    error_message = "port must be an integer between 1 and 65535."
  }
}

variable "command" {
  description = "Entrypoint override. Null: the image's entrypoint."
  type        = list(string)
  default     = null
}

variable "args" {
  description = "Arguments. Null: the image's command."
  type        = list(string)
  default     = null
}

variable "env" {
  description = "Plain environment variables."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "config" {
  description = "Entries of the ConfigMap `<name>-config`, passed to the container as environment variables. A change rolls the pods."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "labels" {
  description = "Extra labels on every object and on the pods."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "replicas" {
  description = "Number of pods when `autoscaling` is null (with autoscaling the HorizontalPodAutoscaler owns the count)."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.replicas >= 0 && floor(var.replicas) == var.replicas
    error_message = "replicas must be a whole number, 0 or more."
  }
}

variable "resources" {
  description = "Container requests and limits. Defaults: 100m CPU and 128Mi memory requested, 256Mi memory limit, no CPU limit (CPU limits throttle)."
  type = object({
    cpu_request    = optional(string, "100m")
    memory_request = optional(string, "128Mi")
    cpu_limit      = optional(string)
    memory_limit   = optional(string, "256Mi")
  })
  default  = {}
  nullable = false
}

variable "autoscaling" {
  description = "A HorizontalPodAutoscaler: replica range and target average utilisation of the requests (seed 001 prod: 3–20 at 70 % CPU and 80 % memory). Null: a fixed `replicas`."
  type = object({
    min_replicas   = number
    max_replicas   = number
    cpu_percent    = optional(number)
    memory_percent = optional(number)
  })
  default = null

  validation {
    condition     = var.autoscaling == null ? true : (var.autoscaling.min_replicas >= 1 && var.autoscaling.min_replicas <= var.autoscaling.max_replicas)
    error_message = "autoscaling needs 1 <= min_replicas <= max_replicas."
  }

  validation {
    condition     = var.autoscaling == null ? true : (var.autoscaling.cpu_percent != null || var.autoscaling.memory_percent != null)
    error_message = "autoscaling needs a target: set cpu_percent, memory_percent or both."
  }
}

variable "min_available" {
  description = "PodDisruptionBudget: pods (number or percentage, e.g. `\"2\"` or `\"50%\"`) that must stay up during voluntary disruptions such as node drains. Null: no budget."
  type        = string
  default     = null

  validation {
    condition     = var.min_available == null ? true : can(regex("^[0-9]+%?$", var.min_available))
    error_message = "min_available must be a whole number or a percentage, e.g. \"2\" or \"50%\"."
  }
}

variable "zone_spread" {
  description = "How pods spread over availability zones: `topology` (topologySpreadConstraints), `anti_affinity` (preferred pod anti-affinity on `topology.kubernetes.io/zone`, as in seed 001) or `none`."
  type        = string
  default     = "topology"
  nullable    = false

  validation {
    condition     = contains(["topology", "anti_affinity", "none"], var.zone_spread)
    error_message = "zone_spread must be topology, anti_affinity or none."
  }
}

variable "service" {
  description = "The Service in front of the pods: `enabled = false` for workers that serve nothing; `port` is the Service port (the target is always `port`)."
  type = object({
    enabled = optional(bool, true)
    type    = optional(string, "ClusterIP")
    port    = optional(number, 80)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["ClusterIP", "NodePort", "LoadBalancer"], var.service.type)
    error_message = "service.type must be ClusterIP, NodePort or LoadBalancer."
  }
}

variable "ingress" {
  description = "An Ingress for the AWS Load Balancer Controller (ALB, target type `ip`). With `certificate_arn` the ALB terminates HTTPS and redirects HTTP to it. Null: no Ingress."
  type = object({
    hosts           = optional(list(string), [])
    path            = optional(string, "/")
    scheme          = optional(string, "internet-facing")
    certificate_arn = optional(string)
    ssl_redirect    = optional(bool)
    group_name      = optional(string)
  })
  default = null

  validation {
    condition     = var.ingress == null ? true : contains(["internet-facing", "internal"], var.ingress.scheme)
    error_message = "ingress.scheme must be internet-facing or internal."
  }

  validation {
    condition     = var.ingress == null ? true : (var.ingress.certificate_arn == null ? true : can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.ingress.certificate_arn)))
    error_message = "ingress.certificate_arn must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)."
  }
}

variable "irsa" {
  description = <<-EOT
    AWS access for the pods through IRSA: an IAM role trusted only by this service's ServiceAccount, with the
    grants listed here. Identify the cluster by `oidc_provider_arn` (e.g. the EKS module's output) or
    `cluster_name`. `permissions_boundary`: the managed policy bounding the role (needed when Terraform runs
    with the IAM policy of docs/permissions.md). Null: no role, no service account token in the pods.
  EOT
  type = object({
    oidc_provider_arn = optional(string)
    cluster_name      = optional(string)
    role_name_prefix  = optional(string)
    s3_buckets = optional(list(object({
      bucket   = string
      prefixes = optional(list(string))
      access   = optional(string, "read")
    })), [])
    secrets_manager_prefixes = optional(list(string), [])
    ssm_parameter_paths      = optional(list(string), [])
    managed_policy_arns      = optional(set(string), [])
    tags                     = optional(map(string), {})
    permissions_boundary     = optional(string)
  })
  default = null

  validation {
    condition     = var.irsa == null ? true : ((var.irsa.oidc_provider_arn == null) != (var.irsa.cluster_name == null))
    error_message = "irsa needs exactly one of oidc_provider_arn or cluster_name."
  }

  validation {
    condition     = var.irsa == null ? true : alltrue([for b in var.irsa.s3_buckets : contains(["read", "write", "read-write"], b.access)])
    error_message = "irsa.s3_buckets[*].access must be read, write or read-write."
  }

  validation {
    condition     = var.irsa == null ? true : alltrue([for p in var.irsa.secrets_manager_prefixes : endswith(p, "/")])
    error_message = "irsa.secrets_manager_prefixes must end in '/', e.g. \"/my-app/\" (a prefix without it would also match /my-application/...)."
  }
}

variable "network" {
  description = <<-EOT
    What the service's NetworkPolicy allows on top of the platform's default deny. Ingress is always on
    `port` only: from pods of the same namespace (`from_same_namespace`), from the named namespaces, and from
    the load balancer's VPC CIDRs when an `ingress` is set. Egress: HTTPS (on automatically with `irsa`, the
    metadata endpoint excluded) and the database CIDRs on `database_ports`.
  EOT
  type = object({
    from_same_namespace = optional(bool, true)
    from_namespaces     = optional(list(string), [])
    load_balancer_cidrs = optional(list(string), [])
    https_egress        = optional(bool, false)
    database_cidrs      = optional(list(string), [])
    database_ports      = optional(list(number), [5432])
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for c in concat(var.network.load_balancer_cidrs, var.network.database_cidrs) : can(cidrnetmask(c))])
    error_message = "network.load_balancer_cidrs and network.database_cidrs must be IPv4 CIDRs such as 10.0.0.0/16."
  }
}

variable "rollout_timeout" {
  description = "How long apply waits for the pods to become ready, e.g. `5m`. A failing rollout names the pod, container and reason."
  type        = string
  default     = "5m"
  nullable    = false

  validation {
    condition     = can(regex("^([0-9]+[hms])+$", var.rollout_timeout))
    error_message = "rollout_timeout must be a duration such as \"90s\" or \"5m\"."
  }
}
