# A long delete_timeout, so destroy is still waiting for the namespace when the test interrupts it.
resource "hub_namespace" "ns" {
  name           = "{{name}}"
  delete_timeout = "10m"
}
