# EKS mode and a kubeconfig
# expect: cluster_name ~ conflicting
# provider: own

provider "hub" {
  cluster_name = "hub-sandbox"
  config_path  = "@KUBECONFIG@"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
