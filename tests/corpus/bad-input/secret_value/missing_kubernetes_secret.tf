# a Secret that does not exist: refused when the plan opens it, naming the attribute
# expect: kubernetes_secret.name ~ no Secret of that name
ephemeral "hub_secret_value" "s" {
  kubernetes_secret = {
    namespace = "default"
    name      = "hub-corpus-no-such-secret"
    key       = "password"
  }
}
