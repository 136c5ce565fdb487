# host is not a URL
# expect: host ~ not a URL
# provider: own

provider "hub" {
  host = "not a url"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
