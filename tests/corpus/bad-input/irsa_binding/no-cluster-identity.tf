# neither cluster_name nor oidc_provider_arn
# expect: cluster_name ~ exactly one

resource "hub_irsa_binding" "bad" {
  namespace       = "default"
  service_account = "corpus-sa"
}
