# Import blocks by id for what app/lifecycle_1_create.tf made.
import {
  to = hub_namespace.ns
  id = "{{namespace}}"
}

import {
  to = hub_app.api
  id = "{{namespace}}/api"
}
