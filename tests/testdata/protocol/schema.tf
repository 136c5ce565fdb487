terraform {
  required_providers {
    hub = {
      source = "hub/hub"
    }
  }
}
