# issuer is not an https URL
# expect: oidc_issuer ~ https

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  oidc_issuer     = "ftp://issuer.example.com"
  namespace       = "default"
  service_account = "corpus-sa"
}
