# full.tf reduced to labels: the quota, limit range and default-deny policy go away.
resource "hub_namespace" "ns" {
  name   = "{{name}}"
  labels = { team = "payments", tier = "web" }
}
