# an app name with an underscore
# expect: name ~ is not a hub_app name
output "out" {
  value = provider::hub::selector("my_api")
}
