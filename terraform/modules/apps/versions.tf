terraform {
  required_version = ">= 1.5"
  required_providers {
    hub = { source = "hub/hub" }
  }
}
