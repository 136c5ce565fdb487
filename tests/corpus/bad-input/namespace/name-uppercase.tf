# upper-case name
# expect: name ~ DNS-1123

resource "hub_namespace" "bad" {
  name = "Team-A"
}
