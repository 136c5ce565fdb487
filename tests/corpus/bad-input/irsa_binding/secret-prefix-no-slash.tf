# secret prefix not ending in '/'
# expect: secrets_manager.name_prefixes[0] ~ end with '/'

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  secrets_manager = { name_prefixes = ["/my-app"] }
}
