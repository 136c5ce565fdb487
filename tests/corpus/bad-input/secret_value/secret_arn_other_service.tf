# an SSM parameter ARN given as a Secrets Manager secret
# expect: secrets_manager.secret_id ~ another service
ephemeral "hub_secret_value" "s" {
  secrets_manager = {
    secret_id = "arn:aws:ssm:us-east-1:123456789012:parameter/my-app/db"
  }
}
