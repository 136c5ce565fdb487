# default request above default limit
# expect: limit_range.default_request_cpu ~ above

resource "hub_namespace" "bad" {
  name        = "corpus-ns"
  limit_range = { default_request_cpu = "2", default_limit_cpu = "1" }
}
