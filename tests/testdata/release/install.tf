terraform {
  required_providers {
    hub = {
      source  = "{{source}}"
      version = "~> 0.1"
    }
  }
}
