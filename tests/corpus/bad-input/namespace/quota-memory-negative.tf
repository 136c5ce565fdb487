# negative memory quota
# expect: resource_quota.limits_memory ~ negative

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  resource_quota = { limits_memory = "-1Gi" }
}
