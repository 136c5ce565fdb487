# Facts about an existing EKS cluster, e.g. to bind IRSA roles to it from a separate stack.
data "hub_cluster" "prod" {
  name = "my-app-prod"
}

output "cluster_endpoint" {
  value = data.hub_cluster.prod.endpoint
}

output "oidc_provider_arn" {
  value = data.hub_cluster.prod.oidc_provider_arn
}

output "private_subnet_ids" {
  value = data.hub_cluster.prod.subnet_ids
}
