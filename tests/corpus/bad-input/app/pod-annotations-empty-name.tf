# annotation key with an empty name part
# expect: pod_annotations ~ name part

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  pod_annotations = { "example.com/" = "1" }
}
