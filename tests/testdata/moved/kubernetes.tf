# The app's objects beside its Deployment, as the hashicorp/kubernetes provider's typed resources make them:
# its Service, ServiceAccount and PodDisruptionBudget, labelled and shaped as hub renders them.
locals {
  selector = {
    "app.kubernetes.io/name"     = "api"
    "app.kubernetes.io/instance" = "api"
  }
  labels = merge(local.selector, { "app.kubernetes.io/managed-by" = "hub" })
}

resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = "api"
    namespace = "{{namespace}}"
    labels    = local.labels
  }
  automount_service_account_token = false
}

resource "kubernetes_service_v1" "api" {
  metadata {
    name      = "api"
    namespace = "{{namespace}}"
    labels    = local.labels
  }
  spec {
    type     = "ClusterIP"
    selector = local.selector
    port {
      name        = "http"
      port        = 80
      target_port = "http"
      protocol    = "TCP"
    }
  }
}

resource "kubernetes_pod_disruption_budget_v1" "api" {
  metadata {
    name      = "api"
    namespace = "{{namespace}}"
    labels    = local.labels
  }
  spec {
    max_unavailable = "1"
    selector {
      match_labels = local.selector
    }
  }
}
