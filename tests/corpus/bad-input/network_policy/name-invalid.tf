# name with upper case
# expect: name ~ DNS-1123

resource "hub_network_policy" "bad" {
  name      = "Allow_DNS"
  namespace = "default"
  allow_dns = true
}
