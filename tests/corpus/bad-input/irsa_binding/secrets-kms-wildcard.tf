# KMS key ARN with a wildcard
# expect: secrets_manager.kms_key_arn ~ kms

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  secrets_manager = { name_prefixes = ["/my-app/"], kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/*" }
}
