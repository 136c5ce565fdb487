# the readiness gate label set by hand instead of alb_pod_readiness_gate
# expect: labels["elbv2.k8s.aws/pod-readiness-gate-inject"] ~ alb_pod_readiness_gate

resource "hub_namespace" "bad" {
  name   = "corpus-ns"
  labels = { "elbv2.k8s.aws/pod-readiness-gate-inject" = "enabled" }
}
