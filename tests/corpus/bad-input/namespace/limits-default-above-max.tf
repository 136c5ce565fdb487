# default limit above max
# expect: limit_range.default_limit_memory ~ above

resource "hub_namespace" "bad" {
  name        = "corpus-ns"
  limit_range = { default_limit_memory = "2Gi", max_memory = "1Gi" }
}
