# selector value with a space
# expect: ingress[0].from[0].namespace_selector ~ label value

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ from = [{ namespace_selector = { team = "a b" } }] }]
}
