# enforcement_check asks EKS (DescribeAddon for vpc-cni) whether network policies are enforced.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_network_policy" "api" {
  name              = "api"
  namespace         = hub_namespace.ns.name
  deny_all_ingress  = true
  allow_dns         = true
  enforcement_check = "{{mode}}"
  cluster_name      = "{{cluster}}"
}
