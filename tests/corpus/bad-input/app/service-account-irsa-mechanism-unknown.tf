# a mechanism hub does not know (kiam is not an EKS mechanism)
# expect: service_account.irsa.mechanism ~ pod_identity

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service_account = {
    irsa = {
      namespace       = "default"
      service_account = "corpus-app"
      role_arn        = "arn:aws:iam::123456789012:role/app"
      mechanism       = "kiam"
    }
  }
}
