# issuer of another cluster
# expect: oidc_issuer ~ does not match

resource "hub_irsa_binding" "bad" {
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  oidc_issuer       = "https://oidc.eks.us-east-1.amazonaws.com/id/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
  namespace         = "default"
  service_account   = "corpus-sa"
}
