# a network policy identity with an empty namespace
# expect: namespace ~ empty

import {
  to       = hub_network_policy.api
  identity = { namespace = "", name = "api" }
}

resource "hub_network_policy" "api" {
  name             = "api"
  namespace        = "corpus-identity"
  deny_all_ingress = true
}
