# with hub's pod defaults `labels` are on the pods: the same key in pod_labels is set twice
# expect: pod_labels ~ Label Set Twice

resource "hub_app" "bad" {
  name       = "corpus-app"
  namespace  = "default"
  image      = "nginx:1.27"
  labels     = { team = "a" }
  pod_labels = { team = "b" }
}
