# an app identity whose namespace is not a DNS label
# expect: namespace ~ Invalid Import Identity

import {
  to       = hub_app.api
  identity = { namespace = "Corpus.Identity", name = "api" }
}

resource "hub_app" "api" {
  name      = "api"
  namespace = "corpus-identity"
  image     = "hub-workload:1.0"
}
