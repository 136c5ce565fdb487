terraform {
  required_providers {
    hub = {
      source = "hub/hub"
    }
  }
}

# EKS mode: hub describes the cluster and mints its own EKS token in-process (no `aws` CLI, no exec
# plugin), refreshed during long applies. AWS credentials come from the standard chain (environment,
# profile, SSO, instance role or CI OIDC). In a root stack, pass the EKS module's output instead:
# `cluster_name = module.eks.cluster_name`; the plan does not need the cluster to exist yet.
provider "hub" {
  cluster_name = "my-app-prod"
  region       = "us-west-2"

  aws = {
    assume_role = {
      role_arn     = "arn:aws:iam::123456789012:role/my-app-deploy"
      session_name = "terraform-my-app-prod"
    }
  }
}

# Explicit mode: an API server URL, its CA and a bearer token, e.g. from `module.eks` outputs
# (`cluster_endpoint`, `cluster_certificate_authority_data`) and a token your pipeline provides.
variable "cluster_ca_certificate" {
  description = "Base64-encoded PEM of the cluster CA (the EKS module's cluster_certificate_authority_data)."
  type        = string
}

variable "cluster_token" {
  description = "Bearer token for the API server."
  type        = string
  sensitive   = true
}

provider "hub" {
  alias                  = "explicit"
  host                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com"
  cluster_ca_certificate = var.cluster_ca_certificate
  token                  = var.cluster_token
}
