# a pod label that the selector sets already
# expect: pod_labels ~ Label Set Twice

resource "hub_app" "bad" {
  name       = "corpus-app"
  namespace  = "default"
  image      = "nginx:1.27"
  pod_labels = { "app.kubernetes.io/instance" = "other" }
}
