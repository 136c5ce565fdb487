# endpoint without http(s)
# expect: aws.endpoints.iam ~ http(s) URL
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  aws         = { endpoints = { iam = "localhost:5000" } }
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
