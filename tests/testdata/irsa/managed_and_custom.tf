# A binding given the OIDC provider directly, with a managed policy and a custom statement.
resource "hub_irsa_binding" "svc" {
  oidc_provider_arn   = "{{provider_arn}}"
  oidc_issuer         = "{{issuer}}"
  namespace           = "jobs"
  service_account     = "sender"
  role_name           = "{{role}}"
  managed_policy_arns = ["{{policy_arn}}"]
  custom_policy_json = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:ReceiveMessage", Resource = "arn:aws:sqs:us-east-1:123456789012:jobs" }]
  })
}
