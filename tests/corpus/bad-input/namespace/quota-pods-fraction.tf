# pods 1.5
# expect: resource_quota.pods ~ whole number

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  resource_quota = { pods = 1.5 }
}
