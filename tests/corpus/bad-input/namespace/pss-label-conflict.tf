# labels that fight pod_security
# expect: labels ~ pod_security

resource "hub_namespace" "bad" {
  name   = "corpus-ns"
  labels = { "pod-security.kubernetes.io/enforce" = "privileged" }
}
