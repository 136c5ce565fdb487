# the pods cannot be selected by hub's own manager mark
# expect: pod_selector ~ manager mark

resource "hub_app" "bad" {
  name         = "corpus-app"
  namespace    = "default"
  image        = "nginx:1.27"
  pod_selector = { "app.kubernetes.io/managed-by" = "Helm" }
}
