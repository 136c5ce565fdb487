# a hierarchical parameter name without its leading slash
# expect: ssm_parameter.name ~ must start with '/'
ephemeral "hub_secret_value" "s" {
  ssm_parameter = {
    name = "my-app/db-password"
  }
}
