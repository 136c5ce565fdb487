# a parameter that does not exist: refused when the plan opens it, naming the attribute
# expect: ssm_parameter.name ~ no SSM parameter
ephemeral "hub_secret_value" "s" {
  ssm_parameter = {
    name = "/hub-corpus/no-such-parameter"
  }
}
