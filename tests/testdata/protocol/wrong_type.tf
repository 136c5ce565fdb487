terraform {
  required_providers {
    hub = {
      source = "hub/hub"
    }
  }
}

resource "hub_namespace" "wrong_type" {
  name = ["a", "list"]
}
