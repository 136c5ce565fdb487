# hub's functions beside the resources whose output they must equal: the binding's trust policy, the app's
# labels and selector, its image split.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

data "hub_cluster" "c" {
  name = "hub-sandbox"
}

resource "hub_irsa_binding" "api" {
  cluster_name    = "hub-sandbox"
  namespace       = hub_namespace.ns.name
  service_account = "api"
  role_name       = "{{role}}"
}

resource "hub_app" "api" {
  name            = "api"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.0"
  labels          = { team = "core" }
  service_account = { irsa = hub_irsa_binding.api }
  rollout         = { timeout = "90s" }
}

output "irsa_trust" {
  value = provider::hub::irsa_trust_policy(data.hub_cluster.c.oidc_provider_arn, hub_namespace.ns.name, "api")
}

output "pod_identity_trust" {
  value = provider::hub::pod_identity_trust_policy("123456789012", data.hub_cluster.c.arn, hub_namespace.ns.name, "api")
}

output "selector" {
  value = provider::hub::selector(hub_app.api.name)
}

output "labels" {
  value = provider::hub::app_labels(hub_app.api.name, { team = "core" })
}

output "image" {
  value = provider::hub::parse_image(hub_app.api.image)
}
