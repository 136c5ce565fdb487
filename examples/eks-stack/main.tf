locals {
  name         = "my-app-${var.environment}"
  cluster_name = coalesce(var.cluster_name, local.name)
  tags         = merge({ project = "my-app", environment = var.environment, managed-by = "terraform" }, var.tags)
}

# The environment's namespace (restricted Pod Security, quota, default limits, default deny + DNS) and one
# service module per application (dev: 2, staging: 3, prod: 4), on the cluster of cluster.tf.
module "apps" {
  source = "../../terraform/modules/apps"

  environment    = var.environment
  namespace      = local.name
  resource_quota = var.resource_quota
  apps           = var.apps

  domain          = var.domain
  certificate_arn = var.certificate_arn

  vpc_cidr          = module.vpc.vpc_cidr_block
  database_cidrs    = var.database_subnets
  oidc_provider_arn = module.eks.oidc_provider_arn
  tags              = local.tags

  # Nodes first: apps created before the node group would only wait for somewhere to run.
  depends_on = [module.eks]
}
