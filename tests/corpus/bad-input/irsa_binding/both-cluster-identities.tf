# cluster_name and oidc_provider_arn
# expect: oidc_provider_arn ~ exactly one

resource "hub_irsa_binding" "bad" {
  cluster_name      = "hub-sandbox"
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  namespace         = "default"
  service_account   = "corpus-sa"
}
