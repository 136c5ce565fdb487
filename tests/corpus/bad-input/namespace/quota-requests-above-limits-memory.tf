# a memory requests cap above the memory limits cap
# expect: resource_quota.requests_memory ~ above

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  resource_quota = { requests_memory = "16Gi", limits_memory = "8Gi" }
}
