# SSM KMS key that is an IAM ARN
# expect: ssm_parameters.kms_key_arn ~ kms

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  ssm_parameters  = { paths = ["/my-app"], kms_key_arn = "arn:aws:iam::123456789012:key/abc" }
}
