output "managed_applications" {
  description = "The environment's applications: image, namespace, in-cluster address, service account and IAM role of each."
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
  description = "How to look around the local control plane."
  value = join("\n", concat(
    [
      "Cluster ${var.cluster_name} (local control plane; eval \"$(hub-sandbox env)\" sets KUBECONFIG and AWS_ENDPOINT_URL):",
      "  kubectl get pods,svc,hpa,pdb,networkpolicy -n ${module.platform.namespace}",
    ],
    flatten([for name, s in module.service : [
      "",
      "${name}:",
      "  kubectl get deploy/${name} -n ${s.namespace} -o wide; kubectl get cm,sa -n ${s.namespace} -l app.kubernetes.io/name=${name}",
      s.role_arn == null ? "  no AWS role" : "  IAM role ${s.role_arn}",
    ]]),
  ))
}

output "verification" {
  description = "What scripts/demo.sh needs to run hub-workload locally as the first app with an IAM role: its rendered configuration (the ConfigMap's entries) and its service account and role."
  value = [for name, s in module.service : {
    app             = name
    namespace       = s.namespace
    service_account = s.service_account
    role_arn        = s.role_arn
    config          = jsondecode(s.rendered["ConfigMap/${name}-config"]).data
    s3_buckets      = [for b in var.apps[name].aws_access.s3_buckets : b.bucket]
  } if s.role_arn != null][0]
}
