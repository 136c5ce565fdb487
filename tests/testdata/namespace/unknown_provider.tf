# The provider's host comes from a resource created in the same run, so it is unknown at plan time.
terraform {
  required_providers {
    hub = { source = "hub/hub" }
  }
}

resource "terraform_data" "cluster" {
  input = "{{url}}"
}

provider "hub" {
  host                   = terraform_data.cluster.output
  cluster_ca_certificate = "{{ca}}"
  token                  = "{{token}}"
}

resource "hub_namespace" "ns" {
  name = "{{name}}"
}
