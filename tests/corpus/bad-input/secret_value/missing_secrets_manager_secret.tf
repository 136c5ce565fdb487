# a Secrets Manager secret that does not exist: refused when the plan opens it, naming the attribute
# expect: secrets_manager.secret_id ~ no Secrets Manager secret
ephemeral "hub_secret_value" "s" {
  secrets_manager = {
    secret_id = "/hub-corpus/no-such-secret"
  }
}
