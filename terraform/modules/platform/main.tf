# One namespace per environment: Pod Security Standards, a quota, default container limits, and a
# default-deny network posture with DNS allowed. Services add their own allow rules (see ../service).

resource "hub_namespace" "this" {
  name   = var.namespace
  labels = var.labels

  pod_security = {
    enforce = var.pod_security_level
    audit   = var.pod_security_level
    warn    = var.pod_security_level
  }

  resource_quota = var.resource_quota
  limit_range    = var.limit_range
  delete_timeout = var.delete_timeout
}

resource "hub_network_policy" "default_deny" {
  count = var.default_deny ? 1 : 0

  name             = "default-deny"
  namespace        = hub_namespace.this.name
  pod_selector     = {}
  deny_all_ingress = true
  deny_all_egress  = true
}

resource "hub_network_policy" "allow_dns" {
  count = var.allow_dns ? 1 : 0

  name         = "allow-dns"
  namespace    = hub_namespace.this.name
  pod_selector = {}
  allow_dns    = true
}
