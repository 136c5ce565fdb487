# The kubernetes and helm providers configured without the AWS CLI: hub mints the EKS token, and no token is
# in any plan or state. Recommended: `exec`, which runs the hub provider binary as a credential plugin that
# the consumer runs again whenever its token is due, so applies longer than a token's 15 minutes keep working.
ephemeral "hub_eks_token" "prod" {
  cluster_name = module.eks.cluster_name
}

provider "kubernetes" {
  host                   = ephemeral.hub_eks_token.prod.endpoint
  cluster_ca_certificate = ephemeral.hub_eks_token.prod.cluster_ca_certificate
  exec {
    api_version = ephemeral.hub_eks_token.prod.exec.api_version
    command     = ephemeral.hub_eks_token.prod.exec.command
    args        = ephemeral.hub_eks_token.prod.exec.args
  }
}

provider "helm" {
  kubernetes = {
    host                   = ephemeral.hub_eks_token.prod.endpoint
    cluster_ca_certificate = ephemeral.hub_eks_token.prod.cluster_ca_certificate
    exec = {
      api_version = ephemeral.hub_eks_token.prod.exec.api_version
      command     = ephemeral.hub_eks_token.prod.exec.command
      args        = ephemeral.hub_eks_token.prod.exec.args
    }
  }
}

# The plain form suits runs shorter than a token's 15 minutes (`expires_at`): the token minted when Terraform
# opens the resource is the only one the provider gets during that run.
# provider "kubernetes" {
#   host                   = ephemeral.hub_eks_token.prod.endpoint
#   cluster_ca_certificate = ephemeral.hub_eks_token.prod.cluster_ca_certificate
#   token                  = ephemeral.hub_eks_token.prod.token
# }
