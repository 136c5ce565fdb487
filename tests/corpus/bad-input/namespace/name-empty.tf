# empty name
# expect: name ~ must not be empty

resource "hub_namespace" "bad" {
  name = ""
}
