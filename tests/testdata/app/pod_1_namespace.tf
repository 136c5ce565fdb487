# The namespace alone: the test then makes the objects the app reads but hub does not own.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}
