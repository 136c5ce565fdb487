# client certificate without key
# expect: client_key ~ together
# provider: own

provider "hub" {
  host               = "https://127.0.0.1:6443"
  client_certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
