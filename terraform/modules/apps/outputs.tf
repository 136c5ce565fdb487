output "managed_applications" {
  description = "The environment's applications: image, namespace, in-cluster address, public URL, service account and IAM role of each."
  value = {
    for name, s in module.service : name => {
      image           = s.image
      namespace       = s.namespace
      service_dns     = s.service_dns
      url             = local.apps[name].ingress == null ? null : "${local.scheme}://${local.apps[name].ingress.host}.${var.domain}"
      service_account = s.service_account
      role_arn        = s.role_arn
    }
  }

  # Here rather than as a validation of `apps`: a validation may only refer to its variable (Terraform 1.5),
  # and this one needs the list of settings that main.tf also uses.
  precondition {
    condition     = length(local.unknown_settings) == 0
    error_message = "apps: unknown settings (misspelt?): ${join(", ", local.unknown_settings)}. An app takes ${join(", ", local.settings.app)}; see the apps module's README."
  }
}

output "access_instructions" {
  description = "How to look at the namespace and reach each application, once kubectl points at the cluster."
  value = join("\n", concat(
    [
      "Namespace ${module.platform.namespace}:",
      "  kubectl get pods,svc,ingress,hpa,pdb,networkpolicy -n ${module.platform.namespace}",
    ],
    flatten([for name, s in module.service : [for line in [
      "",
      "${name}:",
      s.service_dns == null ? "  no Service (it serves nothing)" : "  kubectl port-forward -n ${s.namespace} svc/${name} 8080:80 & curl -s http://localhost:8080/health",
      "  kubectl logs -n ${s.namespace} -l app.kubernetes.io/name=${name} --tail=50",
      local.apps[name].ingress == null ? null : "  ${local.scheme}://${local.apps[name].ingress.host}.${var.domain}",
      s.role_arn == null ? null : "  IAM role ${s.role_arn}",
    ] : line if line != null]]),
  ))
}

output "namespace" {
  description = "The environment's namespace (once it and its policies exist)."
  value       = module.platform.namespace
}

output "services" {
  description = "Every output of each app's service module, by app name (e.g. `rendered`, the Kubernetes objects as JSON)."
  value       = module.service
}
