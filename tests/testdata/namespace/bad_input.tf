resource "hub_namespace" "ns" {
  name           = "ok-name"
  resource_quota = { requests_cpu = "4 cores" }
  pod_security   = { enforce = "strict" }
}
