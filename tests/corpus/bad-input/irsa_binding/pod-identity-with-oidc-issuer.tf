# an OIDC issuer with Pod Identity
# expect: oidc_issuer ~ applies only to IRSA

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_name    = "hub-sandbox"
  oidc_issuer     = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  namespace       = "default"
  service_account = "corpus-sa"
}
