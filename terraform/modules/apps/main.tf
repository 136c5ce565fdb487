# One environment of applications: the platform module's namespace and one service module per app, wired
# the same way on every cluster. The caller brings the cluster (the provider configuration, the VPC CIDR and
# what identifies the cluster's OIDC provider).

locals {
  # The settings an app may have, by path (`aws_access.s3_buckets.bucket` is a key of each bucket).
  settings = {
    app         = ["image", "port", "args", "config", "replicas", "resources", "autoscaling", "min_available", "zone_spread", "service", "ingress", "aws_access", "database"]
    resources   = ["cpu_request", "memory_request", "cpu_limit", "memory_limit"]
    autoscaling = ["min_replicas", "max_replicas", "cpu_percent", "memory_percent"]
    ingress     = ["host", "internal"]
    aws_access  = ["s3_buckets", "secrets_manager_prefixes", "ssm_parameter_paths"]
    s3_bucket   = ["bucket", "prefixes", "access"]
  }

  # Every setting given that is not in `settings`, as `apps.<name>.<path>` (checked by managed_applications).
  unknown_settings = flatten([for name, app in var.apps : [for path in concat(
    [for k in try(keys(app), []) : k if !contains(local.settings.app, k)],
    flatten([for group in ["resources", "autoscaling", "ingress", "aws_access"] : [
      for k in try(keys(app[group]), []) : "${group}.${k}" if !contains(local.settings[group], k)
    ]]),
    flatten([for i, b in try(app.aws_access.s3_buckets, []) : [
      for k in try(keys(b), []) : "aws_access.s3_buckets[${i}].${k}" if !contains(local.settings.s3_bucket, k)
    ]]),
  ) : "apps.${name}.${path}"]])

  # Every app with all its top-level settings, null where not given (the service module's default).
  apps   = { for name, app in var.apps : name => merge({ for k in local.settings.app : k => null }, app) }
  scheme = var.certificate_arn == null ? "http" : "https"
}

# The namespace: restricted Pod Security, quota, default limits, default deny + DNS.
module "platform" {
  source = "../platform"

  namespace      = var.namespace
  labels         = { environment = var.environment }
  resource_quota = var.resource_quota
}

module "service" {
  source   = "../service"
  for_each = local.apps

  name      = each.key
  namespace = module.platform.namespace
  image     = each.value.image
  port      = each.value.port
  args      = each.value.args
  config    = merge({ APP_ENV = var.environment }, each.value.config)
  resources = each.value.resources

  replicas      = each.value.replicas
  autoscaling   = each.value.autoscaling
  min_available = each.value.min_available
  zone_spread   = each.value.zone_spread

  service = { enabled = each.value.service }
  ingress = each.value.ingress == null ? null : {
    hosts           = ["${each.value.ingress.host}.${var.domain}"]
    scheme          = lookup(each.value.ingress, "internal", false) ? "internal" : "internet-facing"
    certificate_arn = var.certificate_arn
    ssl_redirect    = var.certificate_arn != null
    group_name      = var.namespace
  }

  irsa = each.value.aws_access == null ? null : {
    oidc_provider_arn        = var.oidc_provider_arn
    cluster_name             = var.cluster_name
    s3_buckets               = lookup(each.value.aws_access, "s3_buckets", null)
    secrets_manager_prefixes = lookup(each.value.aws_access, "secrets_manager_prefixes", null)
    ssm_parameter_paths      = lookup(each.value.aws_access, "ssm_parameter_paths", null)
    tags                     = var.tags
    permissions_boundary     = var.iam_permissions_boundary
  }

  network = {
    load_balancer_cidrs = [var.vpc_cidr]
    database_cidrs      = coalesce(each.value.database, false) ? var.database_cidrs : []
  }
}
