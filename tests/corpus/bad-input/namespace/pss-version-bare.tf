# version without 'v'
# expect: pod_security.version ~ version

resource "hub_namespace" "bad" {
  name         = "corpus-ns"
  pod_security = { version = "1.35" }
}
