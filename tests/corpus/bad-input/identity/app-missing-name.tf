# an app identity without its name
# expect: name ~ required

import {
  to       = hub_app.api
  identity = { namespace = "corpus-identity" }
}

resource "hub_app" "api" {
  name      = "api"
  namespace = "corpus-identity"
  image     = "hub-workload:1.0"
}
