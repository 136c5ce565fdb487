# EKS with one managed node group in the private subnets and IRSA (the IAM OIDC provider) enabled. The
# identity that runs Terraform gets cluster admin through an access entry, which is what hub uses. The VPC
# CNI enforces NetworkPolicies (`enableNetworkPolicy`): without it the platform's default deny and each
# service's policy would be stored but not enforced (hub warns about that at plan time).
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name    = local.cluster_name
  cluster_version = var.kubernetes_version

  vpc_id                         = module.vpc.vpc_id
  subnet_ids                     = module.vpc.private_subnets
  cluster_endpoint_public_access = var.cluster_endpoint_public_access

  enable_irsa                              = true
  enable_cluster_creator_admin_permissions = true

  cluster_addons = {
    coredns    = {}
    kube-proxy = {}
    vpc-cni = {
      before_compute       = true
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
  }

  eks_managed_node_groups = {
    default = {
      instance_types = var.node_group.instance_types
      min_size       = var.node_group.min_size
      max_size       = var.node_group.max_size
      desired_size   = var.node_group.desired_size
    }
  }

  tags = local.tags
}
