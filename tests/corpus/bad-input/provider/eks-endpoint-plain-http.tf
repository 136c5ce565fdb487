# an EKS endpoint over plain HTTP to another machine
# expect: aws.endpoints.eks ~ plain HTTP
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  aws = {
    endpoints = { eks = "http://10.20.30.40:4566" }
  }
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
