# an empty JSON key (leave it out to read the whole secret)
# expect: secrets_manager.json_key ~ must not be empty
ephemeral "hub_secret_value" "s" {
  secrets_manager = {
    secret_id = "/my-app/db"
    json_key  = ""
  }
}
