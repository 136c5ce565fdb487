# selector key with a space
# expect: pod_selector ~ key

resource "hub_network_policy" "bad" {
  name         = "corpus-np"
  namespace    = "default"
  pod_selector = { "app name" = "x" }
  allow_dns    = true
}
