# a label hub sets from the name
# expect: labels ~ is set by hub
output "out" {
  value = provider::hub::app_labels("api", { "app.kubernetes.io/managed-by" = "helm" })
}
