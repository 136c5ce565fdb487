# a label the pod selector already sets is refused in labels
# expect: labels ~ Label Set Twice

resource "hub_app" "bad" {
  name         = "corpus-app"
  namespace    = "default"
  image        = "nginx:1.27"
  pod_selector = { app = "api" }
  labels       = { app = "api", team = "payments" }
}
