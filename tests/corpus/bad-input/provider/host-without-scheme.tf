# host without scheme
# expect: host ~ not a URL
# provider: own

provider "hub" {
  host = "127.0.0.1:6443"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
