# a Kubernetes Secret and an SSM parameter at once
# expect: ssm_parameter ~ exactly one
ephemeral "hub_secret_value" "s" {
  kubernetes_secret = {
    namespace = "default"
    name      = "db"
    key       = "password"
  }
  ssm_parameter = {
    name = "/my-app/db-password"
  }
}
