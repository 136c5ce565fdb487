# a label value with spaces
# expect: labels ~ has a value that
output "out" {
  value = provider::hub::app_labels("api", { team = "core platform" })
}
