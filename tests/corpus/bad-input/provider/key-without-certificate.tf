# client key without certificate
# expect: client_certificate ~ together
# provider: own

provider "hub" {
  host       = "https://127.0.0.1:6443"
  client_key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
