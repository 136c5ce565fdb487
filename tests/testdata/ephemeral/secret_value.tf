# Three secrets where they live (a Kubernetes Secret of another namespace, a Secrets Manager JSON key, an
# SSM SecureString), read by hub_secret_value and handed to the app only through write-only arguments.
ephemeral "hub_secret_value" "api_key" {
  kubernetes_secret = {
    namespace = "{{source_namespace}}"
    name      = "partner-api"
    key       = "{{key}}"
  }
}

ephemeral "hub_secret_value" "db_password" {
  secrets_manager = {
    secret_id = "{{secret_id}}"
    json_key  = "password"
  }
}

ephemeral "hub_secret_value" "flag" {
  ssm_parameter = {
    name = "{{parameter}}"
  }
}

resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 1
  secret_env_wo = {
    API_KEY     = ephemeral.hub_secret_value.api_key.value
    DB_PASSWORD = ephemeral.hub_secret_value.db_password.value
    FLAG        = ephemeral.hub_secret_value.flag.value
  }
  secret_env_wo_version = 1
  rollout               = { timeout = "90s" }
}
