output "managed_applications" {
  description = "The environment's applications: image, namespace, in-cluster address, public host, service account and IAM role of each."
  value = {
    for name, s in module.service : name => {
      image           = s.image
      namespace       = s.namespace
      service_dns     = s.service_dns
      url             = var.apps[name].ingress == null ? null : "${local.scheme}://${var.apps[name].ingress.host}.${var.domain}"
      service_account = s.service_account
      role_arn        = s.role_arn
    }
  }
}

output "access_instructions" {
  description = "How to reach the cluster and each application."
  value = join("\n", concat(
    [
      "Cluster ${module.eks.cluster_name} (${var.region}):",
      "  aws eks update-kubeconfig --name ${module.eks.cluster_name} --region ${var.region}",
      "  kubectl get pods,svc,ingress,hpa,pdb -n ${module.platform.namespace}",
    ],
    flatten([for name, s in module.service : [for line in [
      "",
      "${name}:",
      s.service_dns == null ? "  no Service (it serves nothing)" : "  kubectl port-forward -n ${s.namespace} svc/${name} 8080:80 & curl -s http://localhost:8080/health",
      "  kubectl logs -n ${s.namespace} -l app.kubernetes.io/name=${name} --tail=50",
      var.apps[name].ingress == null ? null : "  ${local.scheme}://${var.apps[name].ingress.host}.${var.domain}",
    ] : line if line != null]]),
  ))
}

output "cluster_name" {
  description = "The EKS cluster's name."
  value       = module.eks.cluster_name
}

output "namespace" {
  description = "The environment's namespace."
  value       = module.platform.namespace
}
