# an empty pod selector would select every pod in the namespace
# expect: pod_selector ~ Empty Pod Selector

resource "hub_app" "bad" {
  name         = "corpus-app"
  namespace    = "default"
  image        = "nginx:1.27"
  pod_selector = {}
}
