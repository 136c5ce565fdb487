# The plain form: the token minted when Terraform opened the ephemeral resource, for the whole run.
provider "kubernetes" {
  host                   = ephemeral.hub_eks_token.c.endpoint
  cluster_ca_certificate = ephemeral.hub_eks_token.c.cluster_ca_certificate
  token                  = ephemeral.hub_eks_token.c.token
}
