# an STS endpoint over plain HTTP to another machine
# expect: aws.endpoints.sts ~ plain HTTP
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  aws = {
    endpoints = { sts = "http://sts.internal.example.com" }
  }
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
