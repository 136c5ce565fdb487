# enforce level 'strict'
# expect: pod_security.enforce ~ not allowed

resource "hub_namespace" "bad" {
  name         = "corpus-ns"
  pod_security = { enforce = "strict" }
}
