# OIDC provider ARN of a role
# expect: oidc_provider_arn ~ invalid

resource "hub_irsa_binding" "bad" {
  oidc_provider_arn = "arn:aws:iam::123456789012:role/x"
  namespace         = "default"
  service_account   = "corpus-sa"
}
