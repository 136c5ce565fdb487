# Every setting of hub_namespace (the ALB readiness gate label too); enforce is left to its default ("restricted").
resource "hub_namespace" "ns" {
  name        = "{{name}}"
  labels      = { team = "payments" }
  annotations = { "hub.example/owner" = "platform" }
  pod_security = {
    warn    = "baseline"
    version = "v1.35"
  }
  resource_quota = {
    requests_cpu   = "4"
    limits_memory  = "8Gi"
    pods           = 20
    load_balancers = 0
  }
  limit_range = {
    default_request_cpu  = "100m"
    default_limit_memory = "512Mi"
  }
  default_deny           = true
  alb_pod_readiness_gate = true
}
