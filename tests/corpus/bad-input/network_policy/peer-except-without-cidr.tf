# except without cidr
# expect: egress[0].to[0].except ~ needs `cidr`

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  egress    = [{ to = [{ namespace_selector = {}, except = ["10.0.0.0/24"] }] }]
}
