# audit level 'none'
# expect: pod_security.audit ~ not allowed

resource "hub_namespace" "bad" {
  name         = "corpus-ns"
  pod_security = { audit = "none" }
}
