# delete timeout in words
# expect: delete_timeout ~ duration

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  delete_timeout = "5 minutes"
}
