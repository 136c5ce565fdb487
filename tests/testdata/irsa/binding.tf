# A binding with every kind of grant, annotating the service account the app's chart made.
resource "hub_irsa_binding" "app" {
  cluster_name             = "hub-sandbox"
  namespace                = "{{namespace}}"
  service_account          = "my-app-serviceaccount"
  role_name                = "{{role}}"
  tags                     = { team = "payments" }
  annotate_service_account = true
  s3_buckets               = [{ bucket = "my-app-bucket", access = "read-write" }]
  secrets_manager          = { name_prefixes = ["/my-app/"] }
  ssm_parameters           = { paths = ["/my-app"] }
}
