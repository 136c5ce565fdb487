# an OIDC provider ARN with Pod Identity
# expect: oidc_provider_arn ~ applies only to IRSA

resource "hub_irsa_binding" "bad" {
  mechanism         = "pod_identity"
  cluster_names     = ["hub-sandbox"]
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  namespace         = "default"
  service_account   = "corpus-sa"
}
