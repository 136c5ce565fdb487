# EKS mode and a host
# expect: cluster_name ~ conflicting
# provider: own

provider "hub" {
  cluster_name = "hub-sandbox"
  host         = "https://127.0.0.1:6443"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
