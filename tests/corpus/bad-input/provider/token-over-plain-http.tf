# a bearer token sent to a plain-HTTP API server on another machine
# expect: host ~ plain HTTP
# provider: own

provider "hub" {
  host  = "http://192.0.2.10:8080"
  token = "abc"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
