# label value of 64 characters
# expect: labels ~ at most 63

resource "hub_namespace" "bad" {
  name   = "corpus-ns"
  labels = { team = "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" }
}
