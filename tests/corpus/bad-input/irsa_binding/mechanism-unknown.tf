# a mechanism hub does not know
# expect: mechanism ~ irsa

resource "hub_irsa_binding" "bad" {
  mechanism       = "kiam"
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
}
