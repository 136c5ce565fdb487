# A second hub provider configured only from the ephemeral token: endpoint, CA and bearer token, no
# kubeconfig and no exec plugin. The namespace it makes proves the token works against the API server.
ephemeral "hub_eks_token" "c" {
  cluster_name = "hub-sandbox"
}

provider "hub" {
  alias                  = "from_token"
  host                   = ephemeral.hub_eks_token.c.endpoint
  cluster_ca_certificate = ephemeral.hub_eks_token.c.cluster_ca_certificate
  token                  = ephemeral.hub_eks_token.c.token
}

resource "hub_namespace" "ns" {
  provider = hub.from_token
  name     = "{{namespace}}"
}
