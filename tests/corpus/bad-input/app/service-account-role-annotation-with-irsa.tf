# a role-arn annotation beside irsa, which sets it
# expect: service_account.annotations["eks.amazonaws.com/role-arn"] ~ service_account.irsa

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service_account = {
    annotations = { "eks.amazonaws.com/role-arn" = "arn:aws:iam::123456789012:role/other" }
    irsa        = { namespace = "default", service_account = "corpus-app", role_arn = "arn:aws:iam::123456789012:role/app" }
  }
}
