# The recommended form for long applies: client-go runs hub's `eks-token` plugin whenever its token is due.
provider "kubernetes" {
  host                   = ephemeral.hub_eks_token.c.endpoint
  cluster_ca_certificate = ephemeral.hub_eks_token.c.cluster_ca_certificate
  exec {
    api_version = ephemeral.hub_eks_token.c.exec.api_version
    command     = ephemeral.hub_eks_token.c.exec.command
    args        = ephemeral.hub_eks_token.c.exec.args
  }
}
