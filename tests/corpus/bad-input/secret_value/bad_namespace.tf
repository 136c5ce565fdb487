# an upper-case namespace, which Kubernetes never accepts
# expect: kubernetes_secret.namespace ~ DNS-1123
ephemeral "hub_secret_value" "s" {
  kubernetes_secret = {
    namespace = "My_Apps"
    name      = "db"
    key       = "password"
  }
}
