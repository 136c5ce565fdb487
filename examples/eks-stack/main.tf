locals {
  name         = "my-app-${var.environment}"
  cluster_name = coalesce(var.cluster_name, local.name)
  namespace    = "my-app-${var.environment}"
  scheme       = var.certificate_arn == null ? "http" : "https"
  tags         = merge({ project = "my-app", environment = var.environment, managed-by = "terraform" }, var.tags)
}

# The environment's namespace: restricted Pod Security, quota, default limits, default deny + DNS.
module "platform" {
  source = "../../terraform/modules/platform"

  namespace      = local.namespace
  labels         = { environment = var.environment }
  resource_quota = var.resource_quota

  # Nodes first: apps created before the node group would only wait for somewhere to run.
  depends_on = [module.eks]
}

# One service module per application of the environment (dev: 2, staging: 3, prod: 4).
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
    oidc_provider_arn        = module.eks.oidc_provider_arn
    s3_buckets               = each.value.aws_access.s3_buckets
    secrets_manager_prefixes = each.value.aws_access.secrets_manager_prefixes
    ssm_parameter_paths      = each.value.aws_access.ssm_parameter_paths
    tags                     = local.tags
  }

  network = {
    load_balancer_cidrs = [module.vpc.vpc_cidr_block]
    database_cidrs      = each.value.database ? var.database_subnets : []
  }
}
