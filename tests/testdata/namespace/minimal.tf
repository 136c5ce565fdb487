resource "hub_namespace" "ns" {
  name = "{{name}}"
}
