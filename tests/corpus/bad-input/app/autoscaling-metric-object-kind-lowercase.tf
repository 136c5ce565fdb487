# an object metric whose kind is not a kind
# expect: autoscaling.metrics[0].described_object.kind ~ CamelCase

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      {
        type             = "object"
        name             = "requests_per_second"
        value            = "2k"
        described_object = { api_version = "networking.k8s.io/v1", kind = "ingress", name = "api" }
      },
    ]
  }
}
