# the pod annotation hub uses to roll pods on configuration changes
# expect: pod_annotations["hub.io/config-checksum"] ~ set by hub

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  pod_annotations = { "hub.io/config-checksum" = "pinned" }
}
