# empty delete timeout
# expect: delete_timeout ~ duration

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  delete_timeout = ""
}
