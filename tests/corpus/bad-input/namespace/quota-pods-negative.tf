# pods -1
# expect: resource_quota.pods ~ from 0 to 1000000

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  resource_quota = { pods = -1 }
}
