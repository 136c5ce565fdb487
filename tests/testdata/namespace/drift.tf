# "0.5" comes back from the API server as "500m": not drift.
resource "hub_namespace" "ns" {
  name           = "{{name}}"
  labels         = { team = "a" }
  resource_quota = { requests_cpu = "0.5" }
}
