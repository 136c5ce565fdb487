# a key with a slash, which no Secret can hold
# expect: kubernetes_secret.key ~ only letters, digits
ephemeral "hub_secret_value" "s" {
  kubernetes_secret = {
    namespace = "default"
    name      = "db"
    key       = "db/password"
  }
}
