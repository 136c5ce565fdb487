# CA that is not PEM
# expect: cluster_ca_certificate ~ PEM
# provider: own

provider "hub" {
  host                   = "https://127.0.0.1:6443"
  token                  = "x"
  cluster_ca_certificate = "not a certificate"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
