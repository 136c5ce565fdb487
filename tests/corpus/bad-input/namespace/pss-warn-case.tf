# warn level 'Restricted'
# expect: pod_security.warn ~ not allowed

resource "hub_namespace" "bad" {
  name         = "corpus-ns"
  pod_security = { warn = "Restricted" }
}
