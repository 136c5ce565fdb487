# The seed's policy for an API: DNS, HTTPS out except the instance metadata service, its databases, and
# ingress from its own namespace.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_network_policy" "api" {
  name                              = "api"
  namespace                         = hub_namespace.ns.name
  pod_selector                      = { app = "api" }
  allow_dns                         = true
  allow_https_egress                = { except = ["169.254.169.254/32"] }
  allow_egress_to_databases         = [{ cidrs = ["10.0.20.0/24"], ports = [5432, 6379] }]
  allow_ingress_from_same_namespace = { ports = [5000] }
}

# A default-deny egress policy that keeps Pod Identity credentials reachable (the agent's IPv4 and IPv6
# link-local endpoints).
resource "hub_network_policy" "pod_identity" {
  name                     = "pod-identity"
  namespace                = hub_namespace.ns.name
  deny_all_egress          = true
  allow_dns                = true
  allow_pod_identity_agent = true
}
