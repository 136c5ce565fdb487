# 64 characters
# expect: name ~ at most 63

resource "hub_namespace" "bad" {
  name = "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
}
