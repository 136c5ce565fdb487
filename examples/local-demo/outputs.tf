output "managed_applications" {
  description = "The environment's applications: image, namespace, in-cluster address, service account and IAM role of each."
  value       = module.apps.managed_applications
}

output "access_instructions" {
  description = "How to look around the local control plane (its pods run on kwok nodes: nothing to port-forward to or to read logs of)."
  value = join("\n", concat(
    [
      "Cluster ${var.cluster_name} (local control plane; eval \"$(hub-sandbox env)\" sets KUBECONFIG and AWS_ENDPOINT_URL):",
      "  kubectl get pods,svc,hpa,pdb,networkpolicy -n ${module.apps.namespace}",
    ],
    flatten([for name, app in module.apps.managed_applications : [
      "",
      "${name}:",
      "  kubectl get deploy/${name} -n ${app.namespace} -o wide; kubectl get cm,sa -n ${app.namespace} -l app.kubernetes.io/name=${name}",
      app.role_arn == null ? "  no AWS role" : "  IAM role ${app.role_arn}",
    ]]),
  ))
}

output "verification" {
  description = "What scripts/demo.sh needs to run hub-workload locally as the first app with an IAM role: its rendered configuration (the ConfigMap's entries) and its service account and role."
  value = [for name, s in module.apps.services : {
    app             = name
    namespace       = s.namespace
    service_account = s.service_account
    role_arn        = s.role_arn
    config          = jsondecode(s.rendered["ConfigMap/${name}-config"]).data
    s3_buckets      = [for b in var.apps[name].aws_access.s3_buckets : b.bucket]
  } if s.role_arn != null][0]
}
