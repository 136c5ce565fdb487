# label key with a space
# expect: labels ~ key

resource "hub_namespace" "bad" {
  name   = "corpus-ns"
  labels = { "bad key" = "x" }
}
