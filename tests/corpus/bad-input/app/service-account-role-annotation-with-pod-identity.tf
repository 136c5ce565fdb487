# a role-arn annotation beside a Pod Identity binding: EKS would use the annotation, never the association
# expect: service_account.annotations["eks.amazonaws.com/role-arn"] ~ cannot carry both

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service_account = {
    annotations = { "eks.amazonaws.com/role-arn" = "arn:aws:iam::123456789012:role/app" }
    irsa = {
      namespace       = "default"
      service_account = "corpus-app"
      role_arn        = "arn:aws:iam::123456789012:role/app"
      mechanism       = "pod_identity"
    }
  }
}
