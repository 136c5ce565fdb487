# The app's Deployment as a `kubernetes_manifest` (server-side applied by the kubernetes provider), shaped
# as hub renders it, reading the ConfigMap of settings.tf.
resource "kubernetes_manifest" "api" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "api"
      namespace = "{{namespace}}"
      labels    = local.labels
    }
    spec = {
      replicas = 2
      selector = { matchLabels = local.selector }
      strategy = {
        type          = "RollingUpdate"
        rollingUpdate = { maxSurge = "25%", maxUnavailable = 0 }
      }
      template = {
        metadata = {
          labels      = local.selector
          annotations = { "hub.io/config-checksum" = "{{checksum}}" }
        }
        spec = {
          serviceAccountName            = "api"
          automountServiceAccountToken  = false
          terminationGracePeriodSeconds = 30
          securityContext = {
            runAsNonRoot   = true
            runAsUser      = 10001
            runAsGroup     = 10001
            fsGroup        = 10001
            seccompProfile = { type = "RuntimeDefault" }
          }
          topologySpreadConstraints = [{
            maxSkew           = 1
            topologyKey       = "topology.kubernetes.io/zone"
            whenUnsatisfiable = "ScheduleAnyway"
            labelSelector     = { matchLabels = local.selector }
          }]
          containers = [{
            name    = "api"
            image   = "hub-workload:0.9"
            ports   = [{ name = "http", containerPort = 8080, protocol = "TCP" }]
            env     = [{ name = "MODE", value = "moved" }]
            envFrom = [{ configMapRef = { name = kubernetes_config_map_v1.settings.metadata[0].name, optional = false } }]
            resources = {
              requests = { cpu = "100m", memory = "128Mi" }
              limits   = { memory = "256Mi" }
            }
            securityContext = {
              runAsNonRoot             = true
              runAsUser                = 10001
              runAsGroup               = 10001
              readOnlyRootFilesystem   = true
              allowPrivilegeEscalation = false
              capabilities             = { drop = ["ALL"] }
              seccompProfile           = { type = "RuntimeDefault" }
            }
            livenessProbe  = { httpGet = { path = "/health", port = "http" } }
            readinessProbe = { httpGet = { path = "/ready", port = "http" } }
            startupProbe   = { httpGet = { path = "/startup", port = "http" } }
            volumeMounts   = [{ name = "tmp", mountPath = "/tmp" }]
          }]
          volumes = [{ name = "tmp", emptyDir = {} }]
        }
      }
    }
  }
  wait {
    rollout = true
  }
  depends_on = [kubernetes_service_account_v1.api]
}
