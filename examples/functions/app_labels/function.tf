# A ConfigMap made by the kubernetes provider that groups with hub_app "api" (`kubectl get -l`, dashboards).
resource "kubernetes_config_map_v1" "dashboards" {
  metadata {
    name      = "api-dashboards"
    namespace = "shop"
    labels    = provider::hub::app_labels("api", { "grafana_dashboard" = "1" })
  }
  data = {
    "api.json" = file("${path.module}/api-dashboard.json")
  }
}
