# an empty Secrets Manager secret id
# expect: secrets_manager.secret_id ~ must not be empty
ephemeral "hub_secret_value" "s" {
  secrets_manager = {
    secret_id = ""
  }
}
