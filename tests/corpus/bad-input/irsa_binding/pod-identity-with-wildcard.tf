# a wildcard service account with Pod Identity
# expect: allow_service_account_wildcard ~ exactly one service account

resource "hub_irsa_binding" "bad" {
  mechanism                      = "pod_identity"
  cluster_name                   = "hub-sandbox"
  namespace                      = "default"
  service_account                = "app-*"
  allow_service_account_wildcard = true
}
