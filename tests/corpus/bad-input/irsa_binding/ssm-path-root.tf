# SSM path '/' (everything)
# expect: ssm_parameters.paths[0] ~ name a path

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  ssm_parameters  = { paths = ["/"] }
}
