# the value is read by hub, never set
# expect: value ~ value
ephemeral "hub_secret_value" "s" {
  ssm_parameter = {
    name = "/my-app/db-password"
  }
  value = "made-up"
}
