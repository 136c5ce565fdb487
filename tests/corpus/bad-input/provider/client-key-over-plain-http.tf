# a client certificate's key configured for a plain-HTTP API server on another machine
# expect: host ~ plain HTTP
# provider: own

provider "hub" {
  host               = "http://kube.example.com"
  client_certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
  client_key         = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
