# quota CPU in words
# expect: resource_quota.requests_cpu ~ quantity

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  resource_quota = { requests_cpu = "two" }
}
