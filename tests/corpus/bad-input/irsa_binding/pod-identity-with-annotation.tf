# the IRSA annotation with Pod Identity
# expect: annotate_service_account ~ must not carry

resource "hub_irsa_binding" "bad" {
  mechanism                = "pod_identity"
  cluster_name             = "hub-sandbox"
  namespace                = "default"
  service_account          = "corpus-sa"
  annotate_service_account = true
}
