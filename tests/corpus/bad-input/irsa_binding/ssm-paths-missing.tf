# SSM grant without paths
# expect: paths ~ required

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  ssm_parameters  = { kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/abc" }
}
