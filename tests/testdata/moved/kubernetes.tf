# An app as the hashicorp/kubernetes provider's typed resources make it: a Deployment, its Service,
# ServiceAccount and PodDisruptionBudget, reading the ConfigMap of settings.tf. Every field hub renders is
# written as hub renders it (names, labels, probes, security context, the pod template's checksum), so that
# moving it under one hub_app changes no pod template.
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

resource "{{deployment_type}}" "api" {
  metadata {
    name      = "api"
    namespace = "{{namespace}}"
    labels    = local.labels
  }
  spec {
    replicas = 2
    selector {
      match_labels = local.selector
    }
    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_surge       = "25%"
        max_unavailable = "0"
      }
    }
    template {
      metadata {
        labels = local.selector
        annotations = {
          "hub.io/config-checksum" = "{{checksum}}"
        }
      }
      spec {
        service_account_name             = kubernetes_service_account_v1.api.metadata[0].name
        automount_service_account_token  = false
        termination_grace_period_seconds = 30
        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        topology_spread_constraint {
          max_skew           = 1
          topology_key       = "topology.kubernetes.io/zone"
          when_unsatisfiable = "ScheduleAnyway"
          label_selector {
            match_labels = local.selector
          }
        }
        container {
          name  = "api"
          image = "hub-workload:0.9"
          port {
            name           = "http"
            container_port = 8080
            protocol       = "TCP"
          }
          env {
            name  = "MODE"
            value = "moved"
          }
          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.settings.metadata[0].name
            }
          }
          resources {
            requests = {
              cpu    = "100m"
              memory = "128Mi"
            }
            limits = {
              memory = "256Mi"
            }
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 10001
            run_as_group               = 10001
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            capabilities {
              drop = ["ALL"]
            }
            seccomp_profile {
              type = "RuntimeDefault"
            }
          }
          liveness_probe {
            http_get {
              path = "/health"
              port = "http"
            }
          }
          readiness_probe {
            http_get {
              path = "/ready"
              port = "http"
            }
          }
          startup_probe {
            http_get {
              path = "/startup"
              port = "http"
            }
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }
        volume {
          name = "tmp"
          empty_dir {}
        }
      }
    }
  }
}
