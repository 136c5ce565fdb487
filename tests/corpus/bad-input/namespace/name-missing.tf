# no name
# expect: name ~ required

resource "hub_namespace" "bad" {
  default_deny = true
}
