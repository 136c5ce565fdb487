terraform {
  required_providers {
    hub = {
      source = "hub/hub"
    }
  }
}

resource "hub_namespace" "invalid" {
  name = "Bad_Name"
}
