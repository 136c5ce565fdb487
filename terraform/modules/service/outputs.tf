output "name" {
  description = "The application name."
  value       = hub_app.this.name
}

output "namespace" {
  description = "The namespace the application runs in."
  value       = hub_app.this.namespace
}

output "image" {
  description = "The image the Deployment runs."
  value       = hub_app.this.image
}

output "selector" {
  description = "Labels that select the application's pods (what the NetworkPolicy selects)."
  value       = hub_app.this.selector
}

output "service_account" {
  description = "The pods' ServiceAccount (the one the IAM role trusts)."
  value       = hub_app.this.service_account_name
}

output "service_dns" {
  description = "In-cluster DNS name of the Service (null when `service.enabled` is false)."
  value       = var.service.enabled ? hub_app.this.service_dns : null
}

output "port" {
  description = "The container port (also the only port the NetworkPolicy opens)."
  value       = var.port
}

output "role_arn" {
  description = "ARN of the IAM role the pods assume through IRSA; null without `irsa`."
  value       = var.irsa == null ? null : hub_irsa_binding.this[0].role_arn
}

output "network_policy" {
  description = "Name of the application's NetworkPolicy."
  value       = hub_network_policy.this.name
}

output "rendered" {
  description = "Every Kubernetes object hub applies for the app, as JSON by `Kind/name` (secret values masked)."
  value       = hub_app.this.rendered
}
