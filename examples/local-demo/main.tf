# The apps module of ../eks-stack, on the local control plane. Only the cluster differs: here it exists
# already, so the IRSA roles name it (`cluster_name`) instead of taking the EKS module's `oidc_provider_arn`.
module "apps" {
  source = "../../terraform/modules/apps"

  environment    = var.environment
  namespace      = "my-app-${var.environment}"
  resource_quota = var.resource_quota
  apps           = var.apps

  domain          = var.domain
  certificate_arn = var.certificate_arn

  vpc_cidr       = var.vpc_cidr
  database_cidrs = var.database_subnets
  cluster_name   = var.cluster_name
}
