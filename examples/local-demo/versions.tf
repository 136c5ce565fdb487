terraform {
  required_version = ">= 1.5"

  required_providers {
    hub = { source = "hub/hub" }
  }

  # scripts/demo.sh keeps the state out of the source tree: init -backend-config=path=target/hub-demo/...
  backend "local" {}
}
