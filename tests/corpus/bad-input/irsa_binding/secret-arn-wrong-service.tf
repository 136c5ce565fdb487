# secret ARN of SSM
# expect: secrets_manager.secret_arns[0] ~ secretsmanager

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  secrets_manager = { secret_arns = ["arn:aws:ssm:us-east-1:123456789012:parameter/x"] }
}
