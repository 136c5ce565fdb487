# cluster_names with IRSA
# expect: cluster_names ~ applies only to EKS Pod Identity

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  cluster_names   = ["hub-sandbox"]
  namespace       = "default"
  service_account = "corpus-sa"
}
