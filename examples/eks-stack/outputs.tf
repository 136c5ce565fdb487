output "managed_applications" {
  description = "The environment's applications: image, namespace, in-cluster address, public URL, service account and IAM role of each."
  value       = module.apps.managed_applications
}

output "access_instructions" {
  description = "How to reach the cluster and each application."
  value = join("\n", [
    "Cluster ${module.eks.cluster_name} (${var.region}):",
    "  aws eks update-kubeconfig --name ${module.eks.cluster_name} --region ${var.region}",
    module.apps.access_instructions,
  ])
}

output "cluster_name" {
  description = "The EKS cluster's name."
  value       = module.eks.cluster_name
}

output "namespace" {
  description = "The environment's namespace."
  value       = module.apps.namespace
}
