# A ConfigMap the app's container reads (`envFrom`). It stays the kubernetes provider's after the move: the
# hub_app reads it with `env_from`, as the Deployment did.
resource "kubernetes_config_map_v1" "settings" {
  metadata {
    name      = "api-settings"
    namespace = "{{namespace}}"
  }
  data = {
    GREETING = "hello"
  }
}
