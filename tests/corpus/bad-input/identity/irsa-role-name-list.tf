# a role name given as a list
# expect: role_name ~ string required

import {
  to       = hub_irsa_binding.api
  identity = { role_name = ["corpus-identity"] }
}

resource "hub_irsa_binding" "api" {
  cluster_name    = "hub-sandbox"
  namespace       = "corpus-identity"
  service_account = "api"
  role_name       = "corpus-identity"
}
