# a Secret name with a space
# expect: kubernetes_secret.name ~ only lower-case letters
ephemeral "hub_secret_value" "s" {
  kubernetes_secret = {
    namespace = "default"
    name      = "db secret"
    key       = "password"
  }
}
