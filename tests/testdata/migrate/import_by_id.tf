# Import blocks by id for everything live.tf made, for `plan -generate-config-out`.
import {
  to = hub_namespace.ns
  id = "{{namespace}}"
}

import {
  to = hub_app.api
  id = "{{namespace}}/api"
}

import {
  to = hub_network_policy.api
  id = "{{namespace}}/api"
}

import {
  to = hub_irsa_binding.api
  id = "{{role}}"
}
