# annotation key starting with '_'
# expect: annotations ~ key

resource "hub_namespace" "bad" {
  name        = "corpus-ns"
  annotations = { "_x" = "1" }
}
