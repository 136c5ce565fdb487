# seed_settings_1_create.tf with the Service and the ConfigMap renamed; the node port stays.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name            = "api"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.0"
  config          = { LOG_LEVEL = "info" }
  secret_env      = { DB_PASSWORD = "hunter2" }
  config_map_name = "flask-settings"
  secret_name     = "flask-secrets"
  service = {
    name      = "flask-web"
    type      = "NodePort"
    node_port = "{{node_port}}"
  }
  autoscaling = {
    min_replicas             = 2
    max_replicas             = 4
    cpu_percent              = 70
    scale_down_policies      = [{ type = "Percent", value = 10, period_seconds = 60 }]
    scale_up_policies        = [{ type = "Percent", value = 50, period_seconds = 60 }]
    scale_down_select_policy = "Min"
  }
  rbac = {
    rules = [{ api_groups = [""], resources = ["configmaps", "secrets"], verbs = ["get", "list", "watch"] }]
  }
  security = { automount_service_account_token = true }
  rollout  = { timeout = "90s" }
}
