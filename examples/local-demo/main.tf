# The platform and service modules of ../eks-stack, on the local control plane. Only where the cluster
# comes from differs: here it exists already, so the IRSA roles name it (`cluster_name`) instead of taking
# the EKS module's `oidc_provider_arn`.

locals {
  name      = "my-app-${var.environment}"
  namespace = "my-app-${var.environment}"
  scheme    = var.certificate_arn == null ? "http" : "https"
}

module "platform" {
  source = "../../terraform/modules/platform"

  namespace      = local.namespace
  labels         = { environment = var.environment }
  resource_quota = var.resource_quota
}

module "service" {
  source   = "../../terraform/modules/service"
  for_each = var.apps

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
    scheme          = each.value.ingress.internal ? "internal" : "internet-facing"
    certificate_arn = var.certificate_arn
    ssl_redirect    = var.certificate_arn != null
    group_name      = local.name
  }

  irsa = each.value.aws_access == null ? null : {
    cluster_name             = var.cluster_name
    s3_buckets               = each.value.aws_access.s3_buckets
    secrets_manager_prefixes = each.value.aws_access.secrets_manager_prefixes
    ssm_parameter_paths      = each.value.aws_access.ssm_parameter_paths
  }

  network = {
    load_balancer_cidrs = [var.vpc_cidr]
    database_cidrs      = each.value.database ? var.database_subnets : []
  }
}
