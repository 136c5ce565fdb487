# The kubernetes provider configured without the AWS CLI: hub mints the EKS token in-process, and the
# token is in no plan and no state.
ephemeral "hub_eks_token" "prod" {
  cluster_name = module.eks.cluster_name
}

provider "kubernetes" {
  host                   = ephemeral.hub_eks_token.prod.endpoint
  cluster_ca_certificate = ephemeral.hub_eks_token.prod.cluster_ca_certificate
  token                  = ephemeral.hub_eks_token.prod.token
}
