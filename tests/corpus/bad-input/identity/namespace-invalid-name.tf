# an identity naming a namespace that cannot exist (uppercase, underscore)
# expect: name ~ Invalid Import Identity

import {
  to       = hub_namespace.ns
  identity = { name = "Bad_Name" }
}

resource "hub_namespace" "ns" {
  name = "corpus-identity"
}
