terraform {
  required_providers {
    hub = {
      source = "hub/hub"
    }
  }
}

resource "hub_namespace" "missing" {
}
