# default_deny 'maybe'
# expect: default_deny ~ bool is required

resource "hub_namespace" "bad" {
  name         = "corpus-ns"
  default_deny = "maybe"
}
