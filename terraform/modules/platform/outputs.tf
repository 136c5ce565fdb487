output "namespace" {
  description = "The namespace's name. Pass it to the service module: referencing this output (not the variable) orders every service after the namespace and its policies."
  value       = hub_namespace.this.name
  depends_on  = [hub_network_policy.default_deny, hub_network_policy.allow_dns]
}

output "namespace_uid" {
  description = "The namespace's Kubernetes UID (changes when the namespace is replaced)."
  value       = hub_namespace.this.uid
}

output "network_policies" {
  description = "Names of the namespace-wide NetworkPolicies the platform created."
  value       = concat([for p in hub_network_policy.default_deny : p.name], [for p in hub_network_policy.allow_dns : p.name])
}
