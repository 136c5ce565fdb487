# a selector value must be a valid label value
# expect: pod_selector ~ label value

resource "hub_app" "bad" {
  name         = "corpus-app"
  namespace    = "default"
  image        = "nginx:1.27"
  pod_selector = { app = "not a label value" }
}
