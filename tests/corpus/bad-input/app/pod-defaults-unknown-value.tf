# pod_defaults is "hub" or "none"
# expect: pod_defaults ~ one of

resource "hub_app" "bad" {
  name         = "corpus-app"
  namespace    = "default"
  image        = "nginx:1.27"
  pod_defaults = "minimal"
}
