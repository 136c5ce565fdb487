# The app's Deployment as a typed resource (`kubernetes_deployment_v1` or its older name
# `kubernetes_deployment`), reading the ConfigMap of settings.tf. Every field hub renders is written as hub
# renders it (labels, probes, security context, the pod template's checksum), so that moving it under one
# hub_app changes no pod template.
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
