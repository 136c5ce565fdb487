# a cluster name over 100 characters
# expect: cluster_names ~ 1 to 100 characters

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_names   = ["c${join("", [for i in range(120) : "x"])}"]
  namespace       = "default"
  service_account = "corpus-sa"
}
