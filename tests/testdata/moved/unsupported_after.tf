# hub_app takes a move only from a Deployment of the kubernetes provider: a move from the ConfigMap of
# settings.tf is refused at plan.
resource "hub_app" "api" {
  name      = "api-settings"
  namespace = "{{namespace}}"
  image     = "hub-workload:0.9"
}

moved {
  from = kubernetes_config_map_v1.settings
  to   = hub_app.api
}
