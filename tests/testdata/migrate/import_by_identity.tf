# Import blocks by identity (Terraform 1.12+) for everything live.tf made.
import {
  to       = hub_namespace.ns
  identity = { name = "{{namespace}}" }
}

import {
  to       = hub_app.api
  identity = { namespace = "{{namespace}}", name = "api" }
}

import {
  to       = hub_network_policy.api
  identity = { namespace = "{{namespace}}", name = "api" }
}

import {
  to       = hub_irsa_binding.api
  identity = { role_name = "{{role}}" }
}
