# default limit memory '1GB'
# expect: limit_range.default_limit_memory ~ unknown unit

resource "hub_namespace" "bad" {
  name        = "corpus-ns"
  limit_range = { default_limit_memory = "1GB" }
}
