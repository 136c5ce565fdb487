# A PodMonitor (Prometheus Operator) that scrapes the pods of hub_app "api".
resource "kubernetes_manifest" "api_pod_monitor" {
  manifest = {
    apiVersion = "monitoring.coreos.com/v1"
    kind       = "PodMonitor"
    metadata   = { name = "api", namespace = "shop" }
    spec = {
      selector            = { matchLabels = provider::hub::selector("api") }
      podMetricsEndpoints = [{ port = "metrics" }]
    }
  }
}
