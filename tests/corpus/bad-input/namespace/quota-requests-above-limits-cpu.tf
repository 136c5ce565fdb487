# a CPU requests cap above the CPU limits cap can never be reached
# expect: resource_quota.requests_cpu ~ above

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  resource_quota = { requests_cpu = "8", limits_cpu = "4" }
}
