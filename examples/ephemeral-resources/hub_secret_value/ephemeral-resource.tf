# A database password from Secrets Manager (one key of its JSON), an API key from a Kubernetes Secret
# made by another team: both reach the app's Secret through write-only arguments and never touch state.
ephemeral "hub_secret_value" "db_password" {
  secrets_manager = {
    secret_id = "/my-app/db"
    json_key  = "password"
  }
}

ephemeral "hub_secret_value" "api_key" {
  kubernetes_secret = {
    namespace = "platform"
    name      = "partner-api"
    key       = "api-key"
  }
}

resource "hub_app" "api" {
  name      = "api"
  namespace = "my-app"
  image     = "ghcr.io/acme/api:1.4.2"

  secret_env_wo = {
    DB_PASSWORD = ephemeral.hub_secret_value.db_password.value
    API_KEY     = ephemeral.hub_secret_value.api_key.value
  }
  # Bump to roll new values out: write-only values are not compared between runs.
  secret_env_wo_version = 1
}
